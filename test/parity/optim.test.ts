// Python-parity cases of the optim family (scripts/parity/cases/optim.json), optax as the
// oracle: every optimiser, transformation and schedule, run by the calling convention in
// test/parity/optim_calls.ts (init, K updates, apply_updates; schedules at step counts).
import { runFamily } from './runner.js';

runFamily('optim');
