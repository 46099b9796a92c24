// Python-parity cases of the numpy family (scripts/parity/cases/numpy.json), replayed through jaxts.
import { runFamily } from './runner.js';

runFamily('numpy');
