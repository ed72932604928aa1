"""Logistic regression in plain Python: the smcore demo's training script.

It reads the CSV files of the train and test channels (x1,x2,label), fits
with gradient descent for --epochs at --learning-rate, prints the metrics
the job's MetricDefinitions capture, and writes model.json into
SM_MODEL_DIR.
"""
import argparse
import csv
import glob
import json
import os

from smcore_demo_utils import accuracy, log_loss, sigmoid


def load(channel):
    rows = []
    for path in sorted(glob.glob(os.path.join(os.environ["SM_CHANNEL_" + channel.upper()], "*.csv"))):
        with open(path, newline="") as f:
            for x1, x2, y in csv.reader(f):
                rows.append(([float(x1), float(x2)], int(y)))
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=50)
    p.add_argument("--learning-rate", type=float, default=0.1)
    args = p.parse_args()

    train, test = load("train"), load("test")
    print(f"training on {len(train)} rows, testing on {len(test)}; epochs={args.epochs} learning_rate={args.learning_rate}")
    w, b = [0.0, 0.0], 0.0
    for epoch in range(1, args.epochs + 1):
        gw, gb = [0.0, 0.0], 0.0
        for x, y in train:
            err = sigmoid(w[0] * x[0] + w[1] * x[1] + b) - y
            gw[0] += err * x[0]
            gw[1] += err * x[1]
            gb += err
        n = len(train)
        w = [w[0] - args.learning_rate * gw[0] / n, w[1] - args.learning_rate * gw[1] / n]
        b -= args.learning_rate * gb / n
        if epoch % 10 == 0 or epoch == args.epochs:
            print(f"epoch={epoch} train_loss={log_loss(w, b, train):.4f}", flush=True)
    print(f"test_loss={log_loss(w, b, test):.4f}")
    print(f"test_accuracy={accuracy(w, b, test):.4f}")
    with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.json"), "w") as f:
        json.dump({"weights": w, "bias": b}, f)


if __name__ == "__main__":
    main()
