"""Write the shipped fp16 vocabularies into packages/concepts/vocab/ from ../shared/data/clip-vit-b32/vocab/.

Run with Debian's python (numpy): /usr/bin/python3 packages/concepts/scripts/build-shipped-vocabularies.py [SRC]
Rows are re-normalized to unit L2 norm after rounding to float16.
"""
import json, os, shutil, sys
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', '..', '..', '..', 'shared', 'data', 'clip-vit-b32', 'vocab')
out = os.path.join(here, '..', 'vocab')
pairs = [
    ('detic_objects_1592', 'clip-vit-b32-detic-1592'),
    ('imagenet_detic_2303', 'clip-vit-b32-imagenet-detic-2303'),
]
for name, target in pairs:
    x = np.load(os.path.join(src, f'{name}_512.npy')).astype(np.float32)
    labels = json.load(open(os.path.join(src, f'{name}.json')))
    assert x.shape[0] == len(labels), (name, x.shape, len(labels))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    h = x.astype(np.float16)
    np.save(os.path.join(out, f'{target}.f16.npy'), h)
    with open(os.path.join(out, f'{target}.json'), 'w') as f:
        json.dump(labels, f, ensure_ascii=False)
    err = np.abs(h.astype(np.float32) - x).max()
    print(f'{target}: {x.shape[0]} x {x.shape[1]}, max fp16 error {err:.2e}')
shutil.copyfile(os.path.join(src, 'LICENSE.Detic'), os.path.join(out, 'LICENSE.Detic'))
