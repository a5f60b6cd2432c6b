/**
 * The page's controls, each through the host's JSON control routes: fault rules (list with
 * their counters, add in the one-line syntax, remove, clear), maintenance with its
 * Retry-After, and minting a partner token. Each panel is set up only when the host has it.
 */

import { ControlError, controlJson } from './api.js';
import type { FaultRuleView, FaultsView } from './types.js';

function element<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function message(error: unknown): string {
  return error instanceof ControlError ? error.description : String(error);
}

/** A rule in the one-line syntax `--fault` takes. */
function oneLine(rule: FaultRuleView): string {
  let text = `${rule.method} ${rule.path}=${rule.action}`;
  if (rule.probability !== 1) text += `,p=${rule.probability}`;
  if (rule.first !== undefined) text += `,first=${rule.first}`;
  if (rule.delayMs > 0) text += `,delay=${rule.delayMs}`;
  if (rule.retryAfter !== undefined) text += `,retryAfter=${rule.retryAfter}`;
  return text;
}

function showFaults(view: FaultsView): void {
  element<HTMLElement>('fault-seed').textContent = String(view.seed);
  const body = element<HTMLTableElement>('fault-rules').tBodies[0] as HTMLTableSectionElement;
  const shown = view.rules.map((rule) => {
    const row = document.createElement('tr');
    const text = row.insertCell();
    const code = document.createElement('code');
    code.textContent = oneLine(rule);
    text.append(code);
    row.insertCell().textContent = String(rule.calls);
    row.insertCell().textContent = String(rule.fired);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove ${oneLine(rule)}`);
    remove.addEventListener('click', () => void removeRule(rule.id));
    row.insertCell().append(remove);
    return row;
  });
  body.replaceChildren(...shown);
}

/** Reads the rules and their counters again. */
export async function refreshFaults(): Promise<void> {
  showFaults(await controlJson<FaultsView>('/_emulator/faults'));
}

/** Removes one rule by its id: the others keep their counters. */
async function removeRule(id: number): Promise<void> {
  try {
    await controlJson(`/_emulator/faults/${id}`, 'DELETE');
    await refreshFaults();
  } catch (error) {
    element<HTMLElement>('fault-error').textContent = message(error);
  }
}

function showMaintenance(state: { enabled: boolean; retryAfter: number }): void {
  element<HTMLElement>('maintenance-state').textContent = state.enabled
    ? `On: Partner Center routes answer 503 with Retry-After: ${state.retryAfter}.`
    : 'Off.';
  element<HTMLInputElement>('retry-after').value = String(state.retryAfter);
}

async function setMaintenance(enabled: boolean): Promise<void> {
  const retryAfter = Number(element<HTMLInputElement>('retry-after').value);
  try {
    showMaintenance(await controlJson('/_emulator/maintenance', 'PUT', { enabled, retryAfter }));
  } catch (error) {
    element<HTMLElement>('maintenance-state').textContent = message(error);
  }
}

/** Wires the fault rules' form and reads the rules in force. */
export async function setUpFaults(): Promise<void> {
  element<HTMLFormElement>('add-fault').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = element<HTMLInputElement>('fault-rule');
    const error = element<HTMLElement>('fault-error');
    try {
      // Appended to the rules in force, whose counters go on; the server's 400 names what is
      // wrong with it.
      await controlJson('/_emulator/faults', 'POST', { rules: [input.value.trim()] });
      await refreshFaults();
      error.textContent = '';
      input.value = '';
      input.removeAttribute('aria-invalid');
    } catch (thrown) {
      error.textContent = message(thrown);
      input.setAttribute('aria-invalid', 'true');
    }
  });
  element<HTMLButtonElement>('clear-faults').addEventListener('click', async () => {
    try {
      await controlJson('/_emulator/faults', 'DELETE');
      await refreshFaults();
    } catch (error) {
      element<HTMLElement>('fault-error').textContent = message(error);
    }
  });
  await refreshFaults();
}

/** Wires the maintenance switch and reads its state. */
export async function setUpMaintenance(): Promise<void> {
  element<HTMLFormElement>('maintenance-form').addEventListener('submit', (event) =>
    event.preventDefault(),
  );
  element<HTMLButtonElement>('maintenance-on').addEventListener(
    'click',
    () => void setMaintenance(true),
  );
  element<HTMLButtonElement>('maintenance-off').addEventListener(
    'click',
    () => void setMaintenance(false),
  );
  showMaintenance(await controlJson('/_emulator/maintenance'));
}

/** Wires the form that mints a token and the copy button. */
export function setUpTokens(): void {
  element<HTMLFormElement>('mint').addEventListener('submit', async (event) => {
    event.preventDefault();
    const partner = element<HTMLInputElement>('token-partner').value.trim();
    const roles = element<HTMLInputElement>('token-roles')
      .value.split(',')
      .map((role) => role.trim())
      .filter((role) => role !== '');
    const error = element<HTMLElement>('token-error');
    try {
      const minted = await controlJson<{ accessToken: string }>('/_emulator/tokens', 'POST', {
        ...(partner === '' ? {} : { partner }),
        ...(roles.length === 0 ? {} : { roles }),
      });
      element<HTMLTextAreaElement>('token').value = minted.accessToken;
      error.textContent = '';
    } catch (thrown) {
      error.textContent = message(thrown);
    }
  });
  element<HTMLButtonElement>('copy-token').addEventListener('click', async () => {
    const token = element<HTMLTextAreaElement>('token');
    const copied = element<HTMLElement>('copied');
    try {
      await navigator.clipboard.writeText(token.value);
      copied.textContent = 'Copied.';
    } catch {
      // No clipboard outside a secure context: leave the token selected to copy by hand.
      token.select();
      copied.textContent = 'Selected: copy it with your keyboard.';
    }
  });
}
