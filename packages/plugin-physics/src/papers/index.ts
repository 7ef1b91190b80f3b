/** Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here. */
export const papers = [] as const;
