/**
 * Calls to the host's control routes from the page: the control token, when the host
 * (an emulator) has one, is asked for once (on the first 401), kept for the tab's session and
 * sent as `Authorization: Bearer`; errors come back as the contract's body.
 */

const STORAGE_KEY = 'apifault.controlToken';

/** A contract error answered by the host. */
export class ControlError extends Error {
  override name = 'ControlError' as const;
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(description);
  }
}

let asking: Promise<string> | undefined;

/** Shows the dialog that asks for the control token; resolves with what was typed. */
function askForToken(reason: string): Promise<string> {
  asking ??= new Promise<string>((resolve) => {
    const dialog = document.getElementById('control-token-dialog') as HTMLDialogElement;
    const form = document.getElementById('control-token-form') as HTMLFormElement;
    const input = document.getElementById('control-token') as HTMLInputElement;
    (document.getElementById('control-token-reason') as HTMLElement).textContent = reason;
    input.value = '';
    form.addEventListener(
      'submit',
      (event) => {
        event.preventDefault();
        dialog.close();
        asking = undefined;
        resolve(input.value.trim());
      },
      { once: true },
    );
    dialog.showModal();
  });
  return asking;
}

function authorization(): Record<string, string> {
  const token = sessionStorage.getItem(STORAGE_KEY);
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * Fetches a control route; on 401 asks for the control token and tries again. Resolves
 * with the response when it is a success, throws a {@link ControlError} otherwise.
 */
export async function control(path: string, init: RequestInit = {}): Promise<Response> {
  for (;;) {
    const headers = { ...(init.headers as Record<string, string>), ...authorization() };
    const res = await fetch(path, { ...init, headers });
    if (res.ok) return res;
    const error = await errorOf(res);
    if (res.status !== 401) throw error;
    const had = sessionStorage.getItem(STORAGE_KEY) !== null;
    const token = await askForToken(
      had
        ? 'The emulator refused that control token; enter the one it printed at start.'
        : 'This emulator was started with a control token; the dashboard needs it once.',
    );
    sessionStorage.setItem(STORAGE_KEY, token);
  }
}

/** Sends JSON to a control route and reads the JSON answer (undefined for 204). */
export async function controlJson<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await control(path, init);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

async function errorOf(res: Response): Promise<ControlError> {
  try {
    const body = (await res.json()) as { code?: unknown; description?: unknown };
    return new ControlError(res.status, String(body.code), String(body.description));
  } catch {
    return new ControlError(res.status, '', `${res.status} ${res.statusText}`);
  }
}
