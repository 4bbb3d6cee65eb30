#!/usr/bin/env python3
"""Independent check of the lab's Keras files, with h5py and PyTorch only (no TensorFlow or Keras).

  keras_crosscheck.py check IMAGES PROBS MODEL...
      Rebuilds each MODEL (.keras or .h5, written by the lab) layer for layer in PyTorch from its own config,
      loads its weights the way Keras does, classifies IMAGES (raw uint8, N x 64 x 64 x 3, as the lab stores
      faces) and compares with PROBS (the lab's probabilities, JSON [[p, ...], ...]). Exit 1 when any
      max |dp| >= 1e-4.
  keras_crosscheck.py write OUTDIR IMAGES CLASSES
      Writes, with h5py in the layouts Keras writes, py_model.h5 (legacy, Keras 2 style Sequential, 64x64
      input) and py_model.keras (Keras 3 zip, Functional, 32x32 input), seeded weights, CLASSES outputs; and
      torch_probs.json: {file name: PyTorch's probabilities on IMAGES}.

The lab feeds a model pixels / 255 (0..1), NHWC; PyTorch runs NCHW, so kernels are transposed and Flatten
takes the channels-last (H, W, C) order Keras uses. A model whose input is not 64x64 gets the faces resized
bilinearly with half-pixel centres (interpolate(align_corners=False)), as the lab does.
"""
import io
import json
import re
import sys
import zipfile

try:
    import h5py
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as err:  # a clear failure, never a skip
    sys.exit(f"keras_crosscheck: needs Python 3 with h5py, numpy and PyTorch (Debian: apt-get install python3-h5py python3-torch): {err}")

TOLERANCE = 1e-4
SIDE = 64


def snake(name):
    """keras.src.utils.naming.to_snake_case."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def text(value):
    return value.decode("utf8") if hasattr(value, "decode") else str(value)


# ---------------------------------------------------------------- reading what the lab wrote

def input_shape(config):
    for layer in config["config"]["layers"]:
        c = layer["config"]
        shape = c.get("batch_shape") or c.get("batch_input_shape")
        if shape:
            return shape[1:]
    return config["config"]["build_input_shape"][1:]


def layers_with_weights_h5(f):
    """legacy_h5_format.load_weights_from_hdf5_group: weights by position, in weight_names order."""
    group = f["model_weights"]
    out = []
    for name in [text(n) for n in group.attrs["layer_names"]]:
        names = [text(n) for n in group[name].attrs["weight_names"]]
        if names:
            out.append([np.asarray(group[name][w], dtype=np.float32) for w in names])
    return out


def read_model(path):
    """(config, [weights of each config layer, Keras order]) from a .keras or .h5 file."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            config = json.loads(z.read("config.json"))
            weights_file = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
        layers = [l for l in config["config"]["layers"]]
        functional = config["class_name"] != "Sequential"
        used = {}
        weights = []
        for layer in layers:
            if layer["class_name"] == "InputLayer" and not functional:
                weights.append([])
                continue
            base = snake(layer["class_name"])
            key = base if base not in used else f"{base}_{used[base] + 1}"
            used[base] = used.get(base, -1) + 1
            vars_path = f"layers/{key}/vars"
            group = weights_file[vars_path] if vars_path in weights_file else {}
            weights.append([np.asarray(group[str(i)], dtype=np.float32) for i in range(len(group))])
        return config, weights
    with h5py.File(path, "r") as f:
        config = json.loads(text(f.attrs["model_config"]))
        saved = layers_with_weights_h5(f)
    weights = []
    for layer in config["config"]["layers"]:
        weights.append(saved.pop(0) if layer["class_name"] in ("Conv2D", "Dense", "BatchNormalization") else [])
    assert not saved, "more weighted layers in the file than in its config"
    return config, weights


# ---------------------------------------------------------------- the same network in PyTorch

def same_padding(size, k, s, d):
    out = -(-size // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total - total // 2  # TensorFlow puts the odd pixel after


def activation(x, name, dim=1):
    return {"linear": lambda v: v, "relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
            "softmax": lambda v: F.softmax(v, dim=dim)}[name or "linear"](x)


def run_torch(config, weights, images):
    """Class probabilities of `images` (uint8 N x 64 x 64 x 3) under the Keras model."""
    h, w, _ = input_shape(config)
    x = torch.from_numpy(images.astype(np.float32) / 255.0).permute(0, 3, 1, 2)  # NHWC -> NCHW
    if (h, w) != (SIDE, SIDE):
        x = F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False)
    for layer, ws in zip(config["config"]["layers"], weights):
        cls, c = layer["class_name"], layer["config"]
        t = [torch.from_numpy(a) for a in ws]
        if cls == "InputLayer" or cls == "Dropout":
            continue
        if cls == "Conv2D":
            k, s, d = c["kernel_size"], c.get("strides", [1, 1]), c.get("dilation_rate", [1, 1])
            if c.get("padding", "valid") == "same":
                ph, pw = same_padding(x.shape[2], k[0], s[0], d[0]), same_padding(x.shape[3], k[1], s[1], d[1])
                x = F.pad(x, (pw[0], pw[1], ph[0], ph[1]))
            bias = t[1] if c.get("use_bias", True) else None
            x = F.conv2d(x, t[0].permute(3, 2, 0, 1), bias, stride=s, dilation=d)  # [kh,kw,in,out] -> [out,in,kh,kw]
            x = activation(x, c.get("activation"))
        elif cls == "MaxPooling2D":
            k = c.get("pool_size", [2, 2])
            s = c.get("strides") or k
            if c.get("padding", "valid") == "same":
                ph, pw = same_padding(x.shape[2], k[0], s[0], 1), same_padding(x.shape[3], k[1], s[1], 1)
                x = F.pad(x, (pw[0], pw[1], ph[0], ph[1]), value=float("-inf"))
            x = F.max_pool2d(x, k, s)
        elif cls == "BatchNormalization":
            i = 0
            gamma = t[i] if c.get("scale", True) else None
            i += c.get("scale", True)
            beta = t[i] if c.get("center", True) else None
            i += c.get("center", True)
            x = F.batch_norm(x, t[i], t[i + 1], gamma, beta, training=False, eps=c.get("epsilon", 1e-3))
        elif cls == "Flatten":
            x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1) if x.dim() == 4 else x  # Keras flattens H, W, C
        elif cls == "Dense":
            assert x.dim() == 2, "Dense on an image is not used by the lab's chains"
            x = x @ t[0] + (t[1] if c.get("use_bias", True) else 0)
            x = activation(x, c.get("activation"))
        elif cls == "Activation":
            x = activation(x, c["activation"])
        elif cls == "ReLU":
            x = F.relu(x)
        elif cls == "Softmax":
            x = F.softmax(x, dim=1 if x.dim() == 2 else 1)
        elif cls == "Rescaling":
            x = x * c["scale"] + c.get("offset", 0.0)
        else:
            raise SystemExit(f"keras_crosscheck: layer class {cls} is not one the lab writes")
    return x.double().numpy()


def load_images(path):
    raw = np.fromfile(path, dtype=np.uint8)
    return raw.reshape(-1, SIDE, SIDE, 3)


def check(images_path, probs_path, models):
    images = load_images(images_path)
    expected = np.asarray(json.load(open(probs_path)), dtype=np.float64)
    worst = 0.0
    for path in models:
        config, weights = read_model(path)
        got = run_torch(config, weights, images)
        delta = float(np.abs(got - expected).max())
        worst = max(worst, delta)
        names = [l["config"]["name"] for l in config["config"]["layers"]]
        print(f"{path}: {len(names)} layers, max |dp| = {delta:.3g} over {expected.size} probabilities")
    if not worst < TOLERANCE:
        sys.exit(f"keras_crosscheck: FAILED, max |dp| = {worst:.3g} >= {TOLERANCE}")
    print(f"keras_crosscheck: OK, max |dp| = {worst:.3g} < {TOLERANCE}")


# ---------------------------------------------------------------- writing Keras files with h5py

def seeded(rng, shape, positive=False):
    a = rng.uniform(-0.3, 0.3, size=shape).astype(np.float32)
    return np.abs(a) + 0.5 if positive else a


def legacy_model(classes, rng):
    """A Keras 2 style Sequential: conv (same) -> BN -> pool -> conv (stride 2, valid) -> flatten -> dropout -> dense -> dense + softmax."""
    layers = [
        ("InputLayer", {"batch_input_shape": [None, SIDE, SIDE, 3], "dtype": "float32", "sparse": False, "ragged": False, "name": "input_1"}),
        ("Conv2D", {"name": "conv2d", "filters": 4, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "relu", "use_bias": True}),
        ("BatchNormalization", {"name": "batch_normalization", "axis": [3], "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True}),
        ("MaxPooling2D", {"name": "max_pooling2d", "pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}),
        ("Conv2D", {"name": "conv2d_1", "filters": 6, "kernel_size": [3, 3], "strides": [2, 2], "padding": "valid", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "tanh", "use_bias": True}),
        ("Flatten", {"name": "flatten", "data_format": "channels_last"}),
        ("Dropout", {"name": "dropout", "rate": 0.5, "noise_shape": None, "seed": None}),
        ("Dense", {"name": "dense", "units": 8, "activation": "relu", "use_bias": True}),
        ("Dense", {"name": "dense_1", "units": classes, "activation": "linear", "use_bias": True}),
        ("Activation", {"name": "activation", "activation": "softmax"}),
    ]
    weights = {
        "conv2d": [seeded(rng, (3, 3, 3, 4)), seeded(rng, (4,))],
        "batch_normalization": [seeded(rng, (4,)) + 1, seeded(rng, (4,)), seeded(rng, (4,)), seeded(rng, (4,), True)],
        "conv2d_1": [seeded(rng, (3, 3, 4, 6)), seeded(rng, (6,))],
        "dense": [seeded(rng, (15 * 15 * 6, 8)) * 0.3, seeded(rng, (8,))],
        "dense_1": [seeded(rng, (8, classes)), seeded(rng, (classes,))],
    }
    names = {"conv2d": ["kernel", "bias"], "conv2d_1": ["kernel", "bias"], "dense": ["kernel", "bias"], "dense_1": ["kernel", "bias"],
             "batch_normalization": ["gamma", "beta", "moving_mean", "moving_variance"]}
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [{"class_name": k, "config": c} for k, c in layers]}}
    return config, weights, names


def write_legacy_h5(path, config, weights, names):
    """As legacy_h5_format.save_model_to_hdf5 / save_weights_to_hdf5_group (tf.keras 2.15) write it."""
    layer_names = [l["config"]["name"] for l in config["config"]["layers"] if l["class_name"] != "InputLayer"]
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = [n.encode("utf8") for n in layer_names]
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = b"2.15.0"
        for name in sorted(layer_names):
            lg = g.create_group(name)
            wn = [f"{name}/{w}:0".encode("utf8") for w in names.get(name, [])]
            lg.attrs["weight_names"] = wn
            for n, value in zip(wn, weights.get(name, [])):
                lg.create_dataset(n, data=value)


def keras3_model(classes, rng):
    """A Keras 3 Functional chain on 32x32: rescaling -> conv (same, stride 2) -> ReLU layer -> BN -> pool -> flatten -> dense -> softmax layer."""
    def entry(cls, name, config, inbound):
        tensor = lambda src: {"class_name": "__keras_tensor__", "config": {"shape": None, "dtype": "float32", "keras_history": [src, 0, 0]}}
        return {"module": "keras.layers", "class_name": cls, "config": {"name": name, "trainable": True, "dtype": "float32", **config},
                "registered_name": None, "name": name, "inbound_nodes": [] if inbound is None else [{"args": [tensor(inbound)], "kwargs": {}}]}
    layers = [
        entry("InputLayer", "input_layer", {"batch_shape": [None, 32, 32, 3], "sparse": False}, None),
        entry("Rescaling", "rescaling", {"scale": 2.0, "offset": -1.0}, "input_layer"),
        entry("Conv2D", "conv2d", {"filters": 5, "kernel_size": [5, 5], "strides": [2, 2], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "linear", "use_bias": True}, "rescaling"),
        entry("ReLU", "re_lu", {"max_value": None, "negative_slope": 0.0, "threshold": 0.0}, "conv2d"),
        entry("BatchNormalization", "batch_normalization", {"axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True}, "re_lu"),
        entry("MaxPooling2D", "max_pooling2d", {"pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}, "batch_normalization"),
        entry("Flatten", "flatten", {"data_format": "channels_last"}, "max_pooling2d"),
        entry("Dense", "dense", {"units": classes, "activation": "linear", "use_bias": True}, "flatten"),
        entry("Softmax", "softmax", {"axis": -1}, "dense"),
    ]
    config = {"module": "keras.src.models.functional", "class_name": "Functional", "config": {
        "name": "functional", "trainable": True, "layers": layers,
        "input_layers": [["input_layer", 0, 0]], "output_layers": [["softmax", 0, 0]]}, "registered_name": "Functional"}
    weights = {
        "conv2d": [seeded(rng, (5, 5, 3, 5)), seeded(rng, (5,))],
        "batch_normalization": [seeded(rng, (5,)) + 1, seeded(rng, (5,)), seeded(rng, (5,)), seeded(rng, (5,), True)],
        "dense": [seeded(rng, (8 * 8 * 5, classes)), seeded(rng, (classes,))],
    }
    return config, weights


def write_keras3(path, config, weights):
    """As saving_lib.save_model writes it: metadata.json, config.json, model.weights.h5 with layers/<key>/vars/<i>."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        used = {}
        for layer in config["config"]["layers"]:
            base = snake(layer["class_name"])
            key = base if base not in used else f"{base}_{used[base] + 1}"
            used[base] = used.get(base, -1) + 1
            vars_group = f.create_group(f"layers/{key}/vars")
            for i, value in enumerate(weights.get(layer["config"]["name"], [])):
                vars_group[str(i)] = value
        f.create_group("vars")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.5.0", "date_saved": "2026-01-01@00:00:00"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", buf.getvalue())


def write(outdir, images_path, classes):
    rng = np.random.default_rng(21)
    images = load_images(images_path)
    probs = {}
    config, weights, names = legacy_model(classes, rng)
    write_legacy_h5(f"{outdir}/py_model.h5", config, weights, names)
    config3, weights3 = keras3_model(classes, rng)
    write_keras3(f"{outdir}/py_model.keras", config3, weights3)
    for name in ("py_model.h5", "py_model.keras"):
        # Read back through the same reader as `check`, so what was written is what is predicted.
        probs[name] = run_torch(*read_model(f"{outdir}/{name}"), images).tolist()
    json.dump(probs, open(f"{outdir}/torch_probs.json", "w"))
    print(f"keras_crosscheck: wrote py_model.h5, py_model.keras and torch_probs.json ({len(images)} images) to {outdir}")


if __name__ == "__main__":
    torch.set_grad_enabled(False)
    torch.set_default_dtype(torch.float32)
    if len(sys.argv) >= 5 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) == 5 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
