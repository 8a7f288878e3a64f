// HoneData: datasets, loaders, file readers, preprocessing, augmentation, splits.
