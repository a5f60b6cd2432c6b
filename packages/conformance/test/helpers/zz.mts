import { checkConformance, formatTable } from '@apifault/conformance';
import { buildOpenApi, startEmulator } from '@apifault/emulator';

const emu = await startEmulator({ memory: true, port: 0, log: false });
const token = await emu.token();
const doc = buildOpenApi() as Record<string, unknown>;
const report = await checkConformance({
  baseUrl: emu.url,
  token,
  openapi: doc as Record<string, unknown>,
  burst: true,
});
console.log(formatTable(report));
await emu.close();
