"""Exports the acceptance models of ONNX import with torch.onnx.export, for onnx_torch_test.

    torch_models.py OUT_DIR

writes OUT_DIR/<name>/model.onnx and test_data_set_0/{input_0,output_0}.pb (PyTorch's output on a
seeded input), the layout of ONNX's backend test data, for the MLP, the CNN (conv-relu-pool x2,
flatten, linear, softmax), the view(N, -1) CNN with a dynamic batch, a Conv+BatchNorm net and an
MLP of every activation, each at opsets 13, 14 and 17; and the models netlens must refuse: a
residual block, an LSTM and an exact-GELU net (refuse_<name>/model.onnx)."""
import os
import sys

import onnx
import onnx.numpy_helper
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(17)


class CNN(nn.Module):
    """conv-relu-pool x2, flatten, linear, softmax; view(N, -1) instead of Flatten when view."""

    def __init__(self, view=False, batch_norm=False):
        super().__init__()
        self.view = view
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4) if batch_norm else nn.Identity()
        self.conv2 = nn.Conv2d(4, 6, 3)
        self.fc = nn.Linear(6 * 3 * 3, 10)
        self.flatten = nn.Flatten()

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1) if self.view else self.flatten(x)
        return torch.softmax(self.fc(x), dim=1)


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 2, 3, padding=1)
        self.conv2 = nn.Conv2d(2, 2, 3, padding=1)
        self.fc = nn.Linear(2 * 6 * 6, 3)

    def forward(self, x):
        y = self.conv2(torch.relu(self.conv1(x)))
        return self.fc(torch.flatten(torch.relu(x + y), 1))


class Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 8, batch_first=True)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


def batch_norm_with_statistics(model):
    """Running statistics and affine parameters that are not the identity."""
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
    return model


def models():
    mlp = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3))
    activations = nn.Sequential(
        nn.Linear(5, 12), nn.SiLU(), nn.Linear(12, 12), nn.GELU(approximate="tanh"), nn.Linear(12, 12), nn.Mish(),
        nn.Linear(12, 12), nn.ELU(), nn.Linear(12, 12), nn.LeakyReLU(), nn.Dropout(0.3), nn.Linear(12, 12),
        nn.Softplus(), nn.Linear(12, 12), nn.Sigmoid(), nn.Linear(12, 12), nn.BatchNorm1d(12), nn.Linear(12, 4),
        nn.LogSoftmax(dim=1))
    yield "mlp", mlp, (3, 2), False
    yield "cnn", CNN(), (3, 1, 16, 16), False
    yield "cnn_view", CNN(view=True), (3, 1, 16, 16), True
    yield "conv_bn", batch_norm_with_statistics(CNN(batch_norm=True)), (3, 1, 16, 16), False
    yield "activations", batch_norm_with_statistics(activations), (3, 5), False


def export(model, x, path, opset, dynamic, keep_batch_norm=False):
    """keep_batch_norm: TrainingMode.PRESERVE on a model in eval mode, so torch does not fuse
    Conv+BatchNorm itself and the file keeps its BatchNormalization nodes (in inference form)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = torch.onnx.TrainingMode.PRESERVE if keep_batch_norm else torch.onnx.TrainingMode.EVAL
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}} if dynamic else None, training=mode)


def save_tensor(array, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(onnx.numpy_helper.from_array(array).SerializeToString())


def main(out):
    for name, model, shape, dynamic in models():
        model.eval()
        x = torch.randn(*shape)
        with torch.no_grad():
            y = model(x)
        for opset in (13, 14, 17):
            folder = os.path.join(out, f"{name}_opset{opset}")
            export(model, x, os.path.join(folder, "model.onnx"), opset, dynamic,
                   keep_batch_norm=name in ("conv_bn", "activations"))
            save_tensor(x.numpy(), os.path.join(folder, "test_data_set_0", "input_0.pb"))
            save_tensor(y.numpy(), os.path.join(folder, "test_data_set_0", "output_0.pb"))
    export(Residual().eval(), torch.randn(1, 2, 6, 6), os.path.join(out, "refuse_residual", "model.onnx"), 14, False)
    export(Recurrent().eval(), torch.randn(1, 5, 4), os.path.join(out, "refuse_lstm", "model.onnx"), 14, False)
    gelu = nn.Sequential(nn.Linear(3, 4), nn.GELU(), nn.Linear(4, 2)).eval()
    export(gelu, torch.randn(2, 3), os.path.join(out, "refuse_gelu", "model.onnx"), 14, False)


if __name__ == "__main__":
    main(sys.argv[1])
