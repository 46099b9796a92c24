// Python-parity cases of the promotion family (scripts/parity/cases/promotion.json), replayed through jaxts.
import { runFamily } from './runner.js';

runFamily('promotion');
