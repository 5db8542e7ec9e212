import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError, issuesOf } from '../../validation/issues.js';
import { scenarioSchema, type Scenario } from './schema.js';

/** A validated scenario and the folder its `file` clips are relative to. */
export interface LoadedScenario {
  scenario: Scenario;
  file: string;
  dir: string;
}

export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`scenario ${file}`, [
      { path: '', message: `not valid JSON: ${(e as Error).message}` },
    ]);
  }
  const result = scenarioSchema.safeParse(json);
  if (!result.success) throw new ValidationError(`scenario ${file}`, issuesOf(result.error));
  return { scenario: result.data, file, dir: path.dirname(file) };
}

/** Expands folders into their *.json files, sorted, and keeps files as given. */
export async function scenarioFiles(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input);
    if (info.isDirectory()) {
      const names = (await readdir(input)).filter((n) => n.endsWith('.json')).sort();
      files.push(...names.map((n) => path.join(input, n)));
    } else files.push(input);
  }
  return files;
}

/** Loads every scenario, refusing two that answer the same number or share an id. */
export async function loadScenarios(inputs: string[]): Promise<LoadedScenario[]> {
  const loaded = await Promise.all((await scenarioFiles(inputs)).map(loadScenarioFile));
  const byNumber = new Map<string, LoadedScenario>();
  const byId = new Map<string, LoadedScenario>();
  for (const item of loaded) {
    const sameNumber = byNumber.get(item.scenario.number);
    if (sameNumber) {
      throw new ValidationError(`scenario ${item.file}`, [
        {
          path: 'number',
          message: `${item.scenario.number} is already answered by ${sameNumber.file}`,
        },
      ]);
    }
    const sameId = byId.get(item.scenario.id);
    if (sameId) {
      throw new ValidationError(`scenario ${item.file}`, [
        { path: 'id', message: `"${item.scenario.id}" is already the id of ${sameId.file}` },
      ]);
    }
    byNumber.set(item.scenario.number, item);
    byId.set(item.scenario.id, item);
  }
  return loaded;
}
