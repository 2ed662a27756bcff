"""The node's benchmark suite: `scripts/bench [suite ...]`, one module per suite."""
