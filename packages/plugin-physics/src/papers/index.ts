/**
 * Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here.
 * (The first physics papers are still on the `physics` branch: their READMEs were not finished.)
 */
export const papers = [] as const;
