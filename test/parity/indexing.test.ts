// Python-parity cases of the indexing family (scripts/parity/cases/indexing.json): x[idx] with
// basic, advanced and boolean indices, and the x.at[idx] functional updates.
import { runFamily } from './runner.js';

runFamily('indexing');
