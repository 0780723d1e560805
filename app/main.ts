/** `npm start`: parse the environment, start the bot, stop cleanly on SIGINT/SIGTERM. */
import { parseEnv } from '../config/env.js';
import { vi } from '../i18n/vi.js';
import { startApp, StartupError } from './app.js';

const parsed = parseEnv(process.env);
if (!parsed.ok) {
  process.stderr.write(`${vi.config.invalid(parsed.errors)}\n`);
  process.exit(2);
}

try {
  const app = await startApp(parsed.config);
  const shutdown = async (signal: string) => {
    app.ctx.log.info(vi.app.stopping(signal));
    await app.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (e) {
  if (e instanceof StartupError) {
    process.stderr.write(`dondoc: ${e.message}\n`);
    process.exit(e.exitCode);
  }
  throw e;
}
