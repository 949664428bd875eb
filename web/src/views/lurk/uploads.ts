// A model file the user brings to the Lurk page from their own disk: POSTed to the server, which
// checks it, saves it in the models folder and lists it (docs/protocol.md "Uploads"). An image
// for "why this answer" is read by lib/imageFile and prepared by the server as a drawing is.

/** The upload endpoint: same origin, so the browser sends the page's Origin and token cookie. */
export const MODEL_UPLOAD_PATH = '/api/upload/v1/model';
/** The server's limit (src/server/upload/service.hpp), checked here too to answer at once. */
export const MAX_MODEL_BYTES = 32 * 1024 * 1024;

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
