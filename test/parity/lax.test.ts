// Python-parity cases of the lax family (scripts/parity/cases/lax.json), replayed through jaxts.
import { runFamily } from './runner.js';

runFamily('lax');
