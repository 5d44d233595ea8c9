import { DEFAULT_DIRECTORY_PATH, type Directory, loadDirectory } from './directory';
import { type AppConfig, loadConfig } from './load';
import { loadTemplates, type Templates } from './templates';

/** The configuration and the data it names, each checked before anything starts. */
export interface App {
  config: AppConfig;
  directory: Directory;
  templates: Templates;
}

export function loadApp(env: NodeJS.ProcessEnv = process.env): App {
  const config = loadConfig(env);
  return {
    config,
    directory: loadDirectory(config.directory || DEFAULT_DIRECTORY_PATH),
    templates: loadTemplates(config.templates || undefined),
  };
}

/** Where clients and workers reach Temporal: the configured cluster, or the embedded server. */
export function temporalAddress(config: AppConfig): string {
  return config.temporal.address || `127.0.0.1:${config.temporal.devServer.port}`;
}
