extension HoneConfig {
    /// The embedded default that `hone tune` runs with no arguments: the bundled Fashion-MNIST
    /// subset, a search over model family and size, optimizer, learning rate (log scale), batch
    /// size, weight decay, schedule and augmentation, with TPE + ASHA. Sized to finish in under
    /// three minutes on two cores.
    public static let defaultYAML = """
    data:
      source: bundled
      validation_split: 0.15
    model:
      family: {choices: [mlp, cnn]}
      mlp:
        depth: {low: 1, high: 3}
        width: {choices: [128, 256, 512]}
        dropout: {low: 0.0, high: 0.4}
        batch_norm: {choices: [false, true]}
      cnn:
        blocks: {low: 1, high: 2}
        channels: {choices: [16, 32]}
        dense: {choices: [64, 128]}
        dropout: {low: 0.0, high: 0.4}
        batch_norm: {choices: [false, true]}
    training:
      optimizer: {choices: [adam, adamw, sgd]}
      learning_rate: {low: 3.0e-4, high: 3.0e-2, log: true}
      batch_size: {choices: [64, 128, 256]}
      weight_decay: {low: 1.0e-6, high: 1.0e-3, log: true}
      schedule: {choices: [none, cosine]}
      epochs: 6
      early_stopping: {patience: 2}
      augmentation:
        flip: {choices: [false, true]}
        crop: {choices: [0, 2]}
    search:
      sampler: tpe
      pruner: asha
      trials: 24
      timeout: 120
      study: default
      seed: 0
    """

    /// The parsed embedded default.
    public static func embeddedDefault() throws -> HoneConfig {
        try parse(defaultYAML, file: "<embedded default>")
    }
}
