// Python-parity cases of the random family (scripts/parity/cases/random.json): keys, split,
// fold_in, bits and every sampler, bit for bit.
import { runFamily } from './runner.js';

runFamily('random');
