"""
The PyTorch side of the native baseline: a long-lived worker that answers one JSON request per stdin line with one
JSON line on stdout, so the orchestrator (scripts/bench/native.mjs) can alternate tfjs and torch rounds and machine
noise hits both. Run with Debian's /usr/bin/python3 (python3-torch 1.13); the network is the workbook's own
MobileNet v1 0.25, translated from model.json by tfjs_to_torch.py.

Requests: init, classify, forward, train (see the handlers). Times are seconds per repetition, after a warm-up.
"""
import json
import os
import sys
import time
import warnings

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tfjs_to_torch import inference_copy, load_mobilenet, split_at  # noqa: E402

# Where each training case cuts the network: everything up to this layer is frozen (no gradients).
FREEZE_AFTER = {'frozen': 'global_average_pooling2d_1', 'last2': 'conv_pw_11_relu'}
FEATURES = 'global_average_pooling2d_1'

state = {}

# Eager ReLU6 in this build warns about resizing its output buffer on every call: noise, not a problem.
warnings.filterwarnings('ignore', message='An output with one or more elements was resized')


def timed(fn, reps):
    fn()  # warm-up: first calls allocate, and jit'd graphs specialise on the first inputs
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def frozen(module):
    """
    The fastest inference form of a frozen module: scripted, BN folded into the convs, oneDNN (mkldnn) layouts.
    `inference_copy` first, because this torch build's oneDNN ReLU6 is wrong on 8-channel tensors (tfjs_to_torch.py).
    """
    return torch.jit.optimize_for_inference(torch.jit.script(inference_copy(module)))


def init(req):
    torch.set_num_threads(req['threads'])
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    model = load_mobilenet(req['modelDir'])
    raw = bytearray(open(req['inputs'], 'rb').read())
    n = req['count']
    x = torch.frombuffer(raw, dtype=torch.float32).reshape(n, 224, 224, 3).permute(0, 3, 1, 2).contiguous()
    state.update(model=model, x=x, jit={})
    return {'torch': torch.__version__, 'threads': torch.get_num_threads(),
            'mkldnn': torch.backends.mkldnn.is_available(), 'layers': len(list(model.children()))}


def jit_model():
    if 'full' not in state['jit']:
        state['jit']['full'] = frozen(state['model'])
    return state['jit']['full']


def classify(req):
    """Top-1 class and its probability for the first `count` inputs, eager and jit, for the agreement check."""
    x = state['x'][:req['count']]
    out = {}
    with torch.no_grad():
        for name, model in (('eager', state['model']), ('jit', jit_model())):
            probs = model(x)
            p, i = probs.max(dim=1)
            out[name] = {'top1': i.tolist(), 'p': p.tolist(), 'probs': probs[:, :].tolist() if req.get('full') else None}
    return out


def forward(req):
    """Inference on a batch: 'eager' (nn.Module as built), 'jit' (optimised for inference), 'jit-prefix' (the same,
    up to the 256-d features a frozen base hands to the head)."""
    variants = {'eager': lambda: state['model'], 'jit': jit_model, 'jit-prefix': lambda: jit_model_prefix(FEATURES)}
    if req['variant'] not in variants:
        raise ValueError(f"unknown forward variant {req['variant']}")
    model = variants[req['variant']]()
    x = state['x'][:req['batch']]

    def run():
        with torch.no_grad():
            model(x)
    return {'times': timed(run, req['reps'])}


def train(req):
    """One optimiser step on a batch: forward through the frozen part without gradients, the rest in training mode."""
    case, batch = req['case'], req['batch']
    x = state['x'][:batch]
    y = torch.arange(batch) % 3
    torch.manual_seed(1)
    head = nn.Linear(256, 3)
    loss_fn = nn.CrossEntropyLoss()
    if case == 'head-cached':
        with torch.no_grad():
            features = jit_model_prefix(FEATURES)(x)
        prefix, trainable = None, nn.Sequential()
    elif case in FREEZE_AFTER:
        prefix = jit_model_prefix(FREEZE_AFTER[case])
        base = fresh_base()
        trainable = split_at(base, FREEZE_AFTER[case])[1]
        features = None
    elif case == 'all':
        prefix, trainable, features = None, fresh_base(), None
    else:
        raise ValueError(f'unknown training case {case}')
    trainable.train()
    params = list(trainable.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)

    def step():
        optimizer.zero_grad()
        if features is not None:
            h = features
        elif prefix is not None:
            with torch.no_grad():
                h = prefix(x)
            h = trainable(h)
        else:
            h = trainable(x)
        loss = loss_fn(head(h), y)
        loss.backward()
        optimizer.step()
    return {'times': timed(step, req['reps']), 'trainableParams': sum(p.numel() for p in params)}


def fresh_base():
    """The network up to the 256-d features, a deep copy (training must not disturb the shared eval model)."""
    import copy
    return split_at(copy.deepcopy(state['model']), FEATURES)[0]


def jit_model_prefix(last):
    key = f'prefix:{last}'
    if key not in state['jit']:
        state['jit'][key] = frozen(split_at(state['model'], last)[0])
    return state['jit'][key]


HANDLERS = {'init': init, 'classify': classify, 'forward': forward, 'train': train}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            reply = {'ok': True, **HANDLERS[req['cmd']](req)}
        except Exception as error:  # the orchestrator prints it and goes on with the other measures
            reply = {'ok': False, 'error': f'{type(error).__name__}: {error}'}
        sys.stdout.write(json.dumps(reply) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
