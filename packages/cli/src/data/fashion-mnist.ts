// Fashion-MNIST from the four gzipped IDX files that Debian's package
// dataset-fashion-mnist installs (or any folder holding them). Pixels are
// scaled to [0, 1]; images are flattened to 784 features.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Dataset, Splits } from "./dataset.js";
import { readIdx } from "./idx.js";

/** Where `apt-get install dataset-fashion-mnist` puts the files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** The four files, as the package names them. */
export const FASHION_MNIST_FILES = {
  trainImages: "train-images-idx3-ubyte.gz",
  trainLabels: "train-labels-idx1-ubyte.gz",
  testImages: "t10k-images-idx3-ubyte.gz",
  testLabels: "t10k-labels-idx1-ubyte.gz",
} as const;

/** The class names, by label. */
export const FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"] as const;

/** The data files are not where we looked; the message says how to get them. */
export class DataMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataMissingError";
  }
}

function load(dir: string, images: string, labels: string): Dataset {
  const img = readIdx(join(dir, images));
  const lab = readIdx(join(dir, labels));
  const [n, rows, cols] = img.dims as [number, number, number];
  if (img.dims.length !== 3 || lab.dims.length !== 1 || lab.dims[0] !== n) {
    throw new DataMissingError(`${dir}: ${images} [${img.dims.join(",")}] and ${labels} [${lab.dims.join(",")}] do not match`);
  }
  const features = rows * cols;
  const x = new Float32Array(n * features);
  for (let i = 0; i < x.length; i++) x[i] = img.data[i] / 255;
  return { x, y: Int32Array.from(lab.data), n, features, classes: 10 };
}

/**
 * Loads the training (60,000) and test (10,000) splits from `dir`.
 * Throws a {@link DataMissingError} naming the apt command when files are missing.
 *
 * @example
 * ```ts
 * const { train, test } = loadFashionMnist(); // train.n === 60000, train.features === 784
 * ```
 */
export function loadFashionMnist(dir: string = FASHION_MNIST_DIR): Splits {
  const missing = Object.values(FASHION_MNIST_FILES).filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new DataMissingError(
      `Fashion-MNIST not found in ${dir} (missing ${missing.join(", ")}).\n` +
        `Install it with:  sudo apt-get install dataset-fashion-mnist   (puts the files in ${FASHION_MNIST_DIR})\n` +
        `or pass --data DIR with the four files, or run with --dataset synthetic (no download needed).`,
    );
  }
  const f = FASHION_MNIST_FILES;
  return { train: load(dir, f.trainImages, f.trainLabels), test: load(dir, f.testImages, f.testLabels), source: `Fashion-MNIST from ${dir}` };
}
