// Structured control flow (jax.lax.cond / switch / while_loop / fori_loop / scan / map): primitives
// holding closed jaxprs, so loops and branches stay single compiled ops under jit, jvp, grad and
// vmap; and associative_scan, a parallel prefix built from lax slices.
export { cond, condP, switch } from './control/cond.js';
export { foriLoop, whileLoop, whileP } from './control/while.js';
export { map, scan, scanP, type MapOptions, type ScanOptions } from './control/scan.js';
export { associativeScan, type AssociativeScanOptions } from './control/associative_scan.js';
