#!/bin/sh
echo "loss=0.5"
echo "$SM_HP_LR" > "$SM_MODEL_DIR/lr"
