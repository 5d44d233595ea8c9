import { DEFAULT_DIRECTORY_PATH, type Directory, loadDirectory } from './directory';
import { type AppConfig, loadConfig } from './load';
import { DEFAULT_RESOLUTION_PATH, loadResolution, type Resolution } from './resolution';
import { loadTemplates, type Templates } from './templates';

/** The configuration and the data it names, each checked before anything starts. */
export interface App {
  config: AppConfig;
  directory: Directory;
  templates: Templates;
  /** The requesting resolution that notes and the report cite. */
  resolution: Resolution;
}

export function loadApp(env: NodeJS.ProcessEnv = process.env): App {
  const config = loadConfig(env);
  return {
    config,
    directory: loadDirectory(config.directory || DEFAULT_DIRECTORY_PATH),
    templates: loadTemplates(config.templates || undefined),
    resolution: loadResolution(config.resolution || DEFAULT_RESOLUTION_PATH),
  };
}

/**
 * The same, but the State directory and the note templates are read (and checked) on first use:
 * for a command, which may need neither (`case show` renders no note). The long-running processes
 * take loadApp, so that a bad data file stops them at start.
 */
export function loadAppOnDemand(env: NodeJS.ProcessEnv = process.env): App {
  const config = loadConfig(env);
  let directory: Directory | undefined;
  let templates: Templates | undefined;
  let resolution: Resolution | undefined;
  return {
    config,
    get directory() {
      return (directory ??= loadDirectory(config.directory || DEFAULT_DIRECTORY_PATH));
    },
    get templates() {
      return (templates ??= loadTemplates(config.templates || undefined));
    },
    get resolution() {
      return (resolution ??= loadResolution(config.resolution || DEFAULT_RESOLUTION_PATH));
    },
  };
}

/** Where clients and workers reach Temporal: the configured cluster, or the embedded server. */
export function temporalAddress(config: Pick<AppConfig, 'connection' | 'temporal'>): string {
  return config.connection.address ?? `127.0.0.1:${config.temporal.devServer.port}`;
}
