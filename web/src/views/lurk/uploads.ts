// What a user brings to the Lurk page from their own disk: a model file (POSTed to the server,
// which checks it, saves it in the models folder and lists it; docs/protocol.md "Uploads"), and
// an image for "why this answer" (decoded by the browser, sent as grey values: the server
// prepares it as it prepares a drawing, the one preparation of src/data/digit_image).

/** The upload endpoint: same origin, so the browser sends the page's Origin and token cookie. */
export const MODEL_UPLOAD_PATH = '/api/upload/v1/model';
/** The server's limit (src/server/upload/service.hpp), checked here too to answer at once. */
export const MAX_MODEL_BYTES = 32 * 1024 * 1024;
/** The largest side of an image sent to explain (the server's limit). */
export const MAX_IMAGE_SIDE = 256;

/** A file name as the server takes it: 1 to 64 of A-Z a-z 0-9 . _ -, its model extension kept. */
export function uploadName(fileName: string): string {
  const ext = /\.(nlmodel|onnx)$/i.exec(fileName)?.[0].toLowerCase();
  if (!ext) throw new Error(`${fileName}: a model file ends in .nlmodel or .onnx`);
  const stem = fileName.slice(0, -ext.length).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'model';
  return stem.slice(0, 64 - ext.length) + ext;
}

/** Uploads a model file; resolves to its name in the models folder, or rejects with the server's sentence. */
export async function uploadModel(file: File): Promise<string> {
  if (file.size > MAX_MODEL_BYTES) throw new Error(`${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MiB; the server takes models up to 32 MiB`);
  const response = await fetch(`${MODEL_UPLOAD_PATH}?name=${encodeURIComponent(uploadName(file.name))}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: file,
    credentials: 'same-origin',
  });
  let answer: { ok?: boolean; file?: string; error?: string } = {};
  try {
    answer = await response.json();
  } catch {
    throw new Error(`the server answered ${response.status} to the upload of ${file.name}`);
  }
  if (!response.ok || !answer.ok || !answer.file) throw new Error(answer.error ?? `the server answered ${response.status}`);
  return answer.file;
}

/**
 * Grey values in [0, 1] of an RGBA image: its luminance (Rec. 709's weights, as libpng's grey
 * conversion for `netlens explain --image` uses), rounded to 3 digits as the pad's values are.
 */
export function greyValues(rgba: Uint8ClampedArray, width: number, height: number): number[] {
  const out = new Array<number>(width * height);
  for (let i = 0; i < width * height; i++) {
    const y = (0.2126 * rgba[4 * i] + 0.7152 * rgba[4 * i + 1] + 0.0722 * rgba[4 * i + 2]) / 255;
    out[i] = Math.round(y * 1000) / 1000;
  }
  return out;
}

/** An image file (PNG, JPEG, whatever the browser decodes) as grey values, at most 256 px a side (its aspect kept). */
export async function imageInput(file: File): Promise<{ width: number; height: number; pixels: number[] }> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name}: the browser cannot read it as an image (PNG or JPEG)`);
  }
  const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff'; // a transparent image on white, as the server reads a PNG
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return { width, height, pixels: greyValues(ctx.getImageData(0, 0, width, height).data, width, height) };
}

/**
 * The "upload a model" control: a chosen file is uploaded, `info` says how it went (its
 * data-state "uploading", "done" or "error" for the tests), and `opened` gets the saved name.
 */
export function wireModelUpload(input: HTMLInputElement, info: HTMLElement, opened: (file: string) => void): void {
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    info.dataset.state = 'uploading';
    info.textContent = `uploading ${file.name}…`;
    try {
      const saved = await uploadModel(file);
      info.dataset.state = 'done';
      info.textContent = `uploaded as ${saved}`;
      opened(saved);
    } catch (e) {
      info.dataset.state = 'error';
      info.textContent = `upload refused: ${e instanceof Error ? e.message : String(e)}`;
    }
  });
}
