"""
Builds a PyTorch copy of a tfjs Keras LayersModel (here MobileNet v1 0.25 224) from its model.json and weight
shards, so the native baseline runs *the same network with the same weights*, not a look-alike.

Only what a sequential MobileNet needs is translated: Conv2D, DepthwiseConv2D, BatchNormalization, Activation
(relu6/relu/softmax/linear), ReLU, GlobalAveragePooling2D, Reshape, Dropout, Flatten, Dense. Anything else raises.

Three layout facts make the translation exact:
- tfjs/Keras tensors are NHWC and PyTorch's are NCHW, so conv kernels move axes: Conv2D [kh, kw, in, out] ->
  [out, in, kh, kw]; DepthwiseConv2D [kh, kw, C, 1] -> [C, 1, kh, kw] (groups = C).
- Keras 'same' padding puts the odd extra pixel at the bottom/right (a 3x3 stride-2 conv on 224 pads 0 above and
  1 below), while PyTorch's symmetric `padding=` cannot: an explicit nn.ZeroPad2d((left, right, top, bottom)) does.
- BatchNormalization's epsilon comes from the config (0.001 here, PyTorch's default is 1e-5).

One bug to steer around (Debian's python3-torch 1.13, oneDNN 2.6.3): after torch.jit.optimize_for_inference, ReLU6
becomes an in-place oneDNN clip (prim::MKLDNNHardTanh_) that does nothing on tensors with 8 channels (it clamps
correctly at 16, 32, 64): MobileNet v1 0.25's first two activations then pass values up to ~150 through, and the
"optimised" network's probabilities are off by up to 0.15. `inference_copy` swaps those activations for
relu + clamp_max, which the pass leaves outside oneDNN, so the result is exact again (max |diff| ~2e-6).
"""
import json
import math
import os
from collections import OrderedDict

import torch
from torch import nn

DTYPES = {'float32': (torch.float32, 4), 'int32': (torch.int32, 4)}


def read_weights(model_dir):
    """Returns (topology config, {weight name: tensor}) from model.json and its shards."""
    with open(os.path.join(model_dir, 'model.json')) as f:
        spec = json.load(f)
    weights = {}
    for group in spec['weightsManifest']:
        data = b''.join(open(os.path.join(model_dir, p), 'rb').read() for p in group['paths'])
        offset = 0
        for w in group['weights']:
            if w.get('quantization'):
                raise ValueError(f"weight {w['name']} is quantised; only float32 weights are translated")
            dtype, size = DTYPES[w['dtype']]
            count = math.prod(w['shape'])
            chunk = bytearray(data[offset:offset + count * size])
            weights[w['name']] = torch.frombuffer(chunk, dtype=dtype).reshape(w['shape']).clone()
            offset += count * size
        if offset != len(data):
            raise ValueError(f"weight group {group['paths']} has {len(data)} bytes, its weights need {offset}")
    topology = spec['modelTopology']
    config = topology.get('model_config', topology)['config']
    return config, weights


def same_padding(size, kernel, stride):
    """Keras 'same': total = max((ceil(size/stride)-1)*stride + kernel - size, 0), the extra pixel after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def activation(name):
    table = {'relu6': nn.ReLU6(), 'relu': nn.ReLU(), 'softmax': nn.Softmax(dim=1), 'linear': nn.Identity()}
    if name not in table:
        raise ValueError(f'activation {name} is not translated')
    return table[name]


class Reshape(nn.Module):
    """Keras Reshape of an NCHW tensor: its target shape is channels-last, so go through NHWC."""

    def __init__(self, target):
        super().__init__()
        self.target = list(target)

    def forward(self, x):
        if x.dim() == 4:
            x = x.permute(0, 2, 3, 1)
        y = x.reshape([x.shape[0]] + self.target)
        return y.permute(0, 3, 1, 2) if y.dim() == 4 else y


class GlobalAvgPool(nn.Module):
    def forward(self, x):
        return x.mean(dim=(2, 3))


def translate(config, weights, size=224):
    """Returns an nn.Sequential whose children are named after the Keras layers, in order (model.conv_pw_13_bn)."""
    layers = []
    channels, spatial = 3, size
    for layer in config['layers']:
        kind, c = layer['class_name'], layer['config']
        name = c['name']
        if kind == 'InputLayer':
            continue
        if kind in ('Conv2D', 'DepthwiseConv2D'):
            depthwise = kind == 'DepthwiseConv2D'
            k, s = c['kernel_size'][0], c['strides'][0]
            if c['kernel_size'][0] != c['kernel_size'][1] or c['strides'][0] != c['strides'][1]:
                raise ValueError(f'{name}: only square kernels and strides are translated')
            if c.get('dilation_rate', [1, 1]) != [1, 1]:
                raise ValueError(f'{name}: dilation is not translated')
            kernel = weights[f"{name}/{'depthwise_kernel' if depthwise else 'kernel'}"]
            out = channels * kernel.shape[3] if depthwise else kernel.shape[3]
            conv = nn.Conv2d(channels, out, k, stride=s, bias=c['use_bias'], groups=channels if depthwise else 1)
            with torch.no_grad():
                conv.weight.copy_(kernel.permute(2, 3, 0, 1) if depthwise else kernel.permute(3, 2, 0, 1))
                if c['use_bias']:
                    conv.bias.copy_(weights[f'{name}/bias'])
            block = [conv]
            if c['padding'] == 'same':
                before, after = same_padding(spatial, k, s)
                if before or after:
                    block.insert(0, nn.ZeroPad2d((before, after, before, after)))
                spatial = -(-spatial // s)
            else:
                spatial = (spatial - k) // s + 1
            if c.get('activation', 'linear') != 'linear':
                block.append(activation(c['activation']))
            layers.append((name, nn.Sequential(*block) if len(block) > 1 else conv))
            channels = out
        elif kind == 'BatchNormalization':
            bn = nn.BatchNorm2d(channels, eps=c['epsilon'], momentum=1 - c['momentum'])
            with torch.no_grad():
                bn.weight.copy_(weights[f'{name}/gamma'])
                bn.bias.copy_(weights[f'{name}/beta'])
                bn.running_mean.copy_(weights[f'{name}/moving_mean'])
                bn.running_var.copy_(weights[f'{name}/moving_variance'])
            layers.append((name, bn))
        elif kind == 'Activation':
            layers.append((name, activation(c['activation'])))
        elif kind == 'ReLU':
            layers.append((name, nn.ReLU6() if c.get('max_value') == 6 else nn.ReLU()))
        elif kind == 'GlobalAveragePooling2D':
            layers.append((name, GlobalAvgPool()))
        elif kind == 'Reshape':
            layers.append((name, Reshape(c['target_shape'])))
        elif kind == 'Dropout':
            layers.append((name, nn.Dropout(c['rate'])))
        else:
            raise ValueError(f'layer {name} ({kind}) is not translated')
    return nn.Sequential(OrderedDict(layers))


def load_mobilenet(model_dir):
    """The tfjs model as an nn.Sequential in eval mode."""
    config, weights = read_weights(model_dir)
    return translate(config, weights).eval()


class ReluClampMax(nn.Module):
    """ReLU6 written as relu(x).clamp_max(6): not converted to oneDNN's clip (see the module docstring)."""

    def forward(self, x):
        return torch.relu(x).clamp_max(6.0)


def inference_copy(model):
    """A deep copy whose ReLU6s after layers of a channel count that is not a multiple of 16 avoid the oneDNN bug."""
    import copy
    model = copy.deepcopy(model).eval()
    channels = 3
    for name, module in list(model.named_children()):
        inner = module[-1] if isinstance(module, nn.Sequential) else module
        if isinstance(inner, nn.Conv2d):
            channels = inner.out_channels
        elif isinstance(inner, nn.BatchNorm2d):
            channels = inner.num_features
        if isinstance(module, nn.ReLU6) and channels % 16 != 0:
            setattr(model, name, ReluClampMax())
    return model


def split_at(model, last):
    """(layers up to and including `last`, the layers after it) as two nn.Sequential."""
    names = [n for n, _ in model.named_children()]
    if last not in names:
        raise ValueError(f'no layer {last}; layers are {names[0]} .. {names[-1]}')
    cut = names.index(last) + 1
    children = list(model.named_children())
    return nn.Sequential(OrderedDict(children[:cut])), nn.Sequential(OrderedDict(children[cut:]))
