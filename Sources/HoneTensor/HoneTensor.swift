// HoneTensor: the Tensor value type, ops, reverse-mode autodiff, kernels and thread pool.
