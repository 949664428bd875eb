// Which model the Lurk page opens from the server's hello: the one its link names (a model file,
// or a run directory as "run:NAME" in the select), else a CNN if the folder has one.

/** The model select's value for a run directory (a model's file name never has this prefix's colon). */
export const RUN_PREFIX = 'run:';

/** The model a page opens when its link names none: a CNN if the folder has one. */
export function defaultModel(models: string[]): string | undefined {
  return models.find((m) => m === 'mnist-cnn.nlmodel') ?? models.find((m) => m.includes('cnn')) ?? models[0];
}

export interface ModelChoice {
  /** The select's values and their labels: the model files, then the runs. */
  values: string[];
  labels: string[];
  /** What to open (none: the server has no model yet). */
  model?: string;
  /** Why the link's model is not opened, when it names one the server does not have. */
  problem?: string;
}

export function chooseModel(models: string[], runs: string[], link: { model?: string; run?: string }): ModelChoice {
  const values = [...models, ...runs.map((r) => RUN_PREFIX + r)];
  const labels = [...models, ...runs.map((r) => `run: ${r}`)];
  const linked = link.run !== undefined ? RUN_PREFIX + link.run : link.model;
  if (!linked || values.includes(linked)) return { values, labels, model: linked ?? defaultModel(models) };
  const problem = link.run !== undefined
    ? `link: the server has no run ${link.run} with a model; it has ${runs.join(', ') || 'none'}`
    : `link: the server has no model ${link.model}; it has ${models.join(', ') || 'none'}`;
  return { values, labels, model: defaultModel(models), problem };
}
