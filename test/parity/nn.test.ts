// Python-parity cases of the nn family (scripts/parity/cases/nn.json): jax.nn activations,
// softmax, logsumexp, one_hot, standardize, dot_product_attention.
import { runFamily } from './runner.js';

runFamily('nn');
