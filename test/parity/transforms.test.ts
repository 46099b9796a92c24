// Python-parity cases of the transforms family (scripts/parity/cases/transforms.json): catalogue
// functions (test/parity/catalogue.ts) under grad, jvp, vjp, vmap, jacobians, jit and compositions.
import { runFamily } from './runner.js';

runFamily('transforms');
