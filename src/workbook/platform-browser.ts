/**
 * The workbook's platform in the page: the site serves the model, the class names and the photos under
 * /workbook-assets/, and src/platform/browser-*.ts fetch (with the Cache API for the model) and decode them.
 */
import { loadClassNames, loadPretrainedModel } from '../platform/browser-model';
import { loadPhoto } from '../platform/browser-photo';
import { AssetLoadError } from '../ml/model';
import type { WorkbookPlatform } from './platform';
import { siteUrl } from '../platform/base-url';
import { startBrowserActivationStore } from '../platform/activation-store';

const ASSETS = siteUrl('workbook-assets/');

/** The platform of a lesson page. */
export function browserPlatform(): WorkbookPlatform {
  const photoUrl = (file: string) => `${ASSETS}photos/${file.split('/').map(encodeURIComponent).join('/')}`;
  const activationStore = startBrowserActivationStore(ASSETS); // frozen activations kept across pages and visits
  return {
    loadModel: (onProgress) => loadPretrainedModel({ onProgress }),
    loadClassNames: () => loadClassNames(),
    async loadPhotoIndex() {
      await activationStore; // set up before any cell can compute activations
      const url = `${ASSETS}photos/index.json`;
      const response = await fetch(url).catch((cause: unknown) => {
        throw new AssetLoadError(url, `could not be downloaded (${String(cause)})`, { cause });
      });
      if (!response.ok) throw new AssetLoadError(url, `HTTP ${response.status} ${response.statusText}`.trim());
      return response.json();
    },
    decodePhoto: (file) => loadPhoto(photoUrl(file)),
    photoUrl,
  };
}
