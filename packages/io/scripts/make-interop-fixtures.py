#!/usr/bin/env python3
"""Write the interop checkpoint fixtures of @msae/io (d_in 8, 32 latents) in the real tools' formats.

Run from the repository root with Debian's Python (it has torch; no safetensors module needed):
    /usr/bin/python3 packages/io/scripts/make-interop-fixtures.py
It rewrites packages/io/test/fixtures/interop/. Each fixture comes with expected.json: the tensors in
msae's layout (W_enc [d_in, d_sae], b_enc [d_sae], W_dec [d_sae, d_in], b_dec [d_in], row-major, float32
values written as JSON numbers), the input normalization (x_n = (x - mean) * scale) and the config msae
must read. The loaders' tests compare against these values; the test suite itself never runs Python.

Formats, as the tools write them:
  paper/<name>.pth         the MSAE paper's torch.save({"model": state_dict, "mean_center", "scaling_factor",
                           "target_norm"}); encoder [d_in, n] is stored transposed (strides (1, d_in)) as
                           the paper's Autoencoder creates it (torch.zeros(n, d_in).t()); the file name
                           carries the config: n_latents_n_inputs_TopKReLU_k_RW_tied_normalize_softcap_...
  saelens-v5/              cfg.json (pre-6.0 keys: activation_fn_str, activation_fn_kwargs {k},
                           apply_b_dec_to_input false) + sae_weights.safetensors
  saelens-v6/              cfg.json (6.x: architecture "topk", k, nested metadata) + sae_weights.safetensors
  dictionary-learning/     ae.pt (AutoEncoderTopK state_dict: encoder.weight [n, d_in] stored as a
                           transposed clone, encoder.bias, decoder.weight [d_in, n], b_dec, k, threshold)
                           + config.json {"trainer": {...}, "buffer": {...}}
"""
import json
import os
import shutil
import struct

import numpy as np
import torch

D_IN, D_SAE, K = 8, 32, 4
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'interop')


def weights(seed):
    g = torch.Generator().manual_seed(seed)
    w_enc = (torch.randn(D_IN, D_SAE, generator=g) * 0.5).float()
    b_enc = (torch.randn(D_SAE, generator=g) * 0.05).float()
    w_dec = (torch.randn(D_SAE, D_IN, generator=g) * 0.3).float()
    b_dec = (torch.randn(D_IN, generator=g) * 0.05).float()
    return w_enc, b_enc, w_dec, b_dec


def probe_inputs():
    """Five CLIP-like rows every fixture's forward pass is checked on."""
    g = torch.Generator().manual_seed(99)
    return (torch.randn(5, D_IN, generator=g) * 0.2 + 0.3).float()


def topk_relu(pre, k):
    """TopK then ReLU, as the paper's TopKReLU, SAELens' TopK and dictionary_learning (ReLU then TopK) all give."""
    values, indices = torch.topk(pre, k, dim=-1)
    return torch.zeros_like(pre).scatter_(-1, indices, values.relu())


def forward_record(x, recon, space='original'):
    """The tool's own reconstruction of x (float64 math), stored for the loaders' known-answer tests."""
    return {'x': flat(x), 'recon': [float(v) for v in recon.reshape(-1)], 'rows': int(x.shape[0]), 'k': K, 'space': space}


def flat(t):
    return [float(v) for v in t.detach().contiguous().reshape(-1).numpy().astype(np.float32)]


def write_expected(folder, config, w_enc, b_enc, w_dec, b_dec, mean=None, scale=1.0, notes=None, forward=None):
    mean = torch.zeros(D_IN) if mean is None else mean
    expected = {
        'config': config,
        'd_in': D_IN,
        'd_sae': D_SAE,
        'W_enc': flat(w_enc),
        'b_enc': flat(b_enc),
        'W_dec': flat(w_dec),
        'b_dec': flat(b_dec),
        'normalization': {'mean': flat(mean), 'scale': float(np.float32(scale))},
    }
    if notes:
        expected['notes'] = notes
    if forward:
        expected['forward'] = forward
    with open(os.path.join(folder, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')


def write_safetensors(path, tensors, metadata=None):
    """safetensors by hand: u64 LE header length, JSON header, raw little-endian F32 data."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def paper_pth():
    folder = os.path.join(ROOT, 'paper')
    os.makedirs(folder)
    w_enc, b_enc, w_dec, b_dec = weights(1)
    # the paper's Autoencoder: encoder = nn.Parameter(torch.zeros((n_latents, n_inputs)).t()) -> strides (1, d_in)
    encoder = torch.zeros(D_SAE, D_IN).t()
    encoder.copy_(w_enc)
    assert encoder.stride() == (1, D_IN)
    g = torch.Generator().manual_seed(11)
    mean_center = (torch.randn(D_IN, generator=g) * 0.1 + 0.3).float()
    scaling_factor = 2.5
    state = {
        'pre_bias': b_dec.clone(),
        'encoder': encoder,
        'latent_bias': b_enc.clone(),
        'decoder': w_dec.clone(),
        'latents_activation_frequency': torch.arange(D_SAE, dtype=torch.int64),
    }
    from collections import OrderedDict
    name = f'{D_SAE}_{D_IN}_TopKReLU_{K}_RW_False_False_0.0_synthetic_train_64_{D_IN}.pth'
    torch.save({'model': OrderedDict(state), 'mean_center': mean_center, 'scaling_factor': scaling_factor,
                'target_norm': float(np.sqrt(D_IN))}, os.path.join(folder, name))
    # the paper: x_n = (x - mean_center) * scaling_factor, z = TopKReLU((x_n - pre_bias) encoder + latent_bias),
    # x^_n = z decoder + pre_bias (its first nesting level, k)
    x = probe_inputs().double()
    xn = (x - mean_center.double()) * scaling_factor
    z = topk_relu((xn - state['pre_bias'].double()) @ state['encoder'].double() + state['latent_bias'].double(), K)
    recon = z @ state['decoder'].double() + state['pre_bias'].double()
    write_expected(folder, {'architecture': 'msae', 'k': K, 'weighting': 'rw'}, w_enc, b_enc, w_dec, b_dec,
                   mean=mean_center, scale=scaling_factor, notes={'file': name}, forward=forward_record(probe_inputs(), recon, 'normalized'))


def saelens_v5():
    folder = os.path.join(ROOT, 'saelens-v5')
    os.makedirs(folder)
    w_enc, b_enc, w_dec, b_dec = weights(2)
    cfg = {
        'architecture': 'standard', 'd_in': D_IN, 'd_sae': D_SAE, 'activation_fn_str': 'topk',
        'activation_fn_kwargs': {'k': K}, 'apply_b_dec_to_input': False, 'finetuning_scaling_factor': False,
        'context_size': 128, 'model_name': 'clip-vit-b32', 'hook_name': 'image_embeds', 'hook_layer': 0,
        'hook_head_index': None, 'prepend_bos': True, 'dataset_path': 'synthetic', 'dataset_trust_remote_code': True,
        'normalize_activations': 'none', 'dtype': 'float32', 'device': 'cpu', 'sae_lens_training_version': '5.3.0',
        'neuronpedia_id': None, 'model_from_pretrained_kwargs': {}, 'seqpos_slice': [None],
    }
    with open(os.path.join(folder, 'cfg.json'), 'w') as f:
        json.dump(cfg, f, indent=2)
    write_safetensors(os.path.join(folder, 'sae_weights.safetensors'), {'W_enc': w_enc, 'W_dec': w_dec, 'b_enc': b_enc, 'b_dec': b_dec})
    # apply_b_dec_to_input false: pre = x W_enc + b_enc = (x - b_dec) W_enc + (b_enc + b_dec W_enc)
    folded = (b_enc.double() + b_dec.double() @ w_enc.double()).float()
    x = probe_inputs().double()
    recon = topk_relu(x @ w_enc.double() + b_enc.double(), K) @ w_dec.double() + b_dec.double()  # SAELens, b_dec not subtracted
    write_expected(folder, {'architecture': 'topk', 'k': K, 'weighting': 'uw'}, w_enc, folded, w_dec, b_dec,
                   notes={'b_enc': 'folded: b_enc + b_dec W_enc (apply_b_dec_to_input false)'}, forward=forward_record(probe_inputs(), recon))


def saelens_v6():
    folder = os.path.join(ROOT, 'saelens-v6')
    os.makedirs(folder)
    w_enc, b_enc, w_dec, b_dec = weights(3)
    cfg = {
        'd_in': D_IN, 'd_sae': D_SAE, 'dtype': 'float32', 'device': 'cpu', 'apply_b_dec_to_input': True,
        'normalize_activations': 'none', 'reshape_activations': 'none',
        'metadata': {'sae_lens_version': '6.5.1', 'sae_lens_training_version': '6.5.1', 'model_name': 'clip-vit-b32',
                     'hook_name': 'image_embeds', 'hook_head_index': None, 'prepend_bos': True, 'dataset_path': 'synthetic',
                     'context_size': 1},
        'k': K, 'rescale_acts_by_decoder_norm': False, 'architecture': 'topk',
    }
    with open(os.path.join(folder, 'cfg.json'), 'w') as f:
        json.dump(cfg, f, indent=2)
    write_safetensors(os.path.join(folder, 'sae_weights.safetensors'), {'W_dec': w_dec, 'W_enc': w_enc, 'b_dec': b_dec, 'b_enc': b_enc})
    x = probe_inputs().double()
    recon = topk_relu((x - b_dec.double()) @ w_enc.double() + b_enc.double(), K) @ w_dec.double() + b_dec.double()
    write_expected(folder, {'architecture': 'topk', 'k': K, 'weighting': 'uw'}, w_enc, b_enc, w_dec, b_dec, forward=forward_record(probe_inputs(), recon))


class AutoEncoderTopK(torch.nn.Module):
    """dictionary_learning's AutoEncoderTopK parameters and buffers (same names, shapes and init layout)."""

    def __init__(self, activation_dim, dict_size, k):
        super().__init__()
        self.register_buffer('k', torch.tensor(k, dtype=torch.int))
        self.register_buffer('threshold', torch.tensor(-1.0, dtype=torch.float32))
        self.decoder = torch.nn.Linear(dict_size, activation_dim, bias=False)
        self.encoder = torch.nn.Linear(activation_dim, dict_size)
        self.encoder.weight.data = self.decoder.weight.T.clone()  # a transposed clone keeps its strides
        self.b_dec = torch.nn.Parameter(torch.zeros(activation_dim))


def dictionary_learning():
    folder = os.path.join(ROOT, 'dictionary-learning')
    os.makedirs(folder)
    w_enc, b_enc, w_dec, b_dec = weights(4)
    ae = AutoEncoderTopK(D_IN, D_SAE, K)
    with torch.no_grad():
        ae.encoder.weight.copy_(w_enc.t())  # encoder.weight [n, d_in] = W_enc^T
        ae.encoder.bias.copy_(b_enc)
        ae.decoder.weight.copy_(w_dec.t())  # decoder.weight [d_in, n] = W_dec^T
        ae.b_dec.copy_(b_dec)
        ae.threshold.fill_(0.125)
    assert ae.encoder.weight.stride() == (1, D_SAE)
    torch.save(ae.state_dict(), os.path.join(folder, 'ae.pt'))
    config = {
        'trainer': {
            'trainer_class': 'TopKTrainer', 'dict_class': 'AutoEncoderTopK', 'lr': 0.0002, 'steps': 1000,
            'auxk_alpha': 0.03125, 'warmup_steps': 100, 'decay_start': None, 'threshold_beta': 0.999,
            'threshold_start_step': 100, 'seed': 0, 'activation_dim': D_IN, 'dict_size': D_SAE, 'k': K,
            'device': 'cpu', 'layer': 0, 'lm_name': 'clip-vit-b32', 'wandb_name': 'AutoEncoderTopK', 'submodule_name': None,
        },
        'buffer': {'d_submodule': D_IN, 'io': 'out', 'n_ctxs': 1, 'ctx_len': 1, 'refresh_batch_size': 64, 'out_batch_size': 64, 'device': 'cpu'},
    }
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(config, f, indent=4)
    # dictionary_learning's AutoEncoderTopK.encode/decode with its own nn.Linear modules, in float64
    ae64 = ae.double()
    with torch.no_grad():
        x = probe_inputs().double()
        post_relu = torch.relu(ae64.encoder(x - ae64.b_dec))
        top = post_relu.topk(K, dim=-1)
        f = torch.zeros_like(post_relu).scatter_(-1, top.indices, top.values)
        recon = ae64.decoder(f) + ae64.b_dec
    write_expected(folder, {'architecture': 'topk', 'k': K, 'weighting': 'uw'}, w_enc, b_enc, w_dec, b_dec,
                   notes={'threshold': 0.125}, forward=forward_record(probe_inputs(), recon))


if __name__ == '__main__':
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(ROOT)
    paper_pth()
    saelens_v5()
    saelens_v6()
    dictionary_learning()
    print(f'wrote {ROOT}')
