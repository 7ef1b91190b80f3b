import type { Lab } from '@paperlab/core';
import { type CommandSpec, defineCommand, type FlagSpec, GLOBAL_FLAGS } from '../spec.js';

/** The shells `paperlab completion` writes scripts for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** What the words installed plugins contribute to completion: experiment ids, plugin names, presets. */
export interface CompletionWords {
  experiments: readonly string[];
  plugins: readonly string[];
  presets: readonly string[];
}

/** How a value is completed: a fixed word list, file names, directory names, or nothing. */
type ValueKind = { words: readonly string[] } | 'file' | 'dir' | 'none';

const BACKENDS = ['auto', 'wasm', 'cpu', 'tensorflow', 'webgpu'];

function flagValues(f: FlagSpec, w: CompletionWords): ValueKind {
  if (f.type === 'boolean') return 'none';
  if (f.choices) return { words: f.choices };
  if (f.name === 'preset') return { words: w.presets };
  if (f.name === 'backend') return { words: BACKENDS };
  if (f.name === 'experiment') return { words: w.experiments };
  if (f.value === 'file') return 'file';
  if (f.value === 'dir' || f.name === 'dir') return 'dir';
  return 'none';
}

function argValues(
  name: string,
  choices: readonly string[] | undefined,
  w: CompletionWords,
  commands: readonly string[],
): ValueKind {
  if (choices) return { words: choices };
  if (name === 'experiment') return { words: w.experiments };
  if (name === 'plugin') return { words: w.plugins };
  if (name === 'run' || name === 'runA' || name === 'runB' || name === 'more') return { words: ['latest'] };
  if (name === 'command') return { words: commands };
  if (name === 'shell') return { words: SHELLS };
  if (name === 'file') return 'file';
  return 'none';
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A bash completion script for the command table (zsh loads it through bashcompinit). */
export function bashScript(table: readonly CommandSpec[], w: CompletionWords): string {
  const names = table.map((c) => c.name);
  const compgen = (v: ValueKind) =>
    v === 'file'
      ? 'COMPREPLY=( $(compgen -f -- "$cur") )'
      : v === 'dir'
        ? 'COMPREPLY=( $(compgen -d -- "$cur") )'
        : v === 'none'
          ? 'COMPREPLY=()'
          : `COMPREPLY=( $(compgen -W ${shq(v.words.join(' '))} -- "$cur") )`;
  const flagCases: string[] = [];
  const argCases: string[] = [];
  for (const c of table) {
    const flags = [...c.flags, ...GLOBAL_FLAGS];
    for (const f of flags) {
      const v = flagValues(f, w);
      if (f.type !== 'boolean' && !f.optionalValue)
        flagCases.push(`    ${shq(`${c.name} --${f.name}`)}) ${compgen(v)}; return ;;`);
    }
    const flagWords = flags.map((f) => `--${f.name}`).join(' ');
    const positional = c.args.map((a, i) => {
      const v = argValues(a.name, a.choices, w, names);
      const words = v === 'none' ? '' : v === 'file' || v === 'dir' ? '' : v.words.join(' ');
      const files = v === 'file' ? ' $(compgen -f -- "$cur")' : v === 'dir' ? ' $(compgen -d -- "$cur")' : '';
      // A variadic argument fills every position from its own up to its bound.
      const at = Array.from({ length: a.variadic ?? 1 }, (_, k) => i + k).join('|');
      return `      ${at}) COMPREPLY=( $(compgen -W ${shq(`${words}`)} -- "$cur")${files} ) ;;`;
    });
    argCases.push(
      `    ${c.name})`,
      `      if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W ${shq(flagWords)} -- "$cur") ); return; fi`,
      '      case "$npos" in',
      ...positional,
      '      *) COMPREPLY=() ;;',
      '      esac ;;',
    );
  }
  const valueFlags = table
    .flatMap((c) => [...c.flags, ...GLOBAL_FLAGS])
    .filter((f) => f.type !== 'boolean' && !f.optionalValue)
    .map((f) => `--${f.name}`);
  return `# paperlab completion for bash. Install: paperlab completion bash > ~/.local/share/bash-completion/completions/paperlab
# (or add 'eval "$(paperlab completion bash)"' to ~/.bashrc). Experiment ids are those installed when it was written.
_paperlab() {
  local cur prev cmd="" npos=0 i w skip=0
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    case " ${[...new Set(valueFlags)].join(' ')} " in *" $w "*) skip=1; continue ;; esac
    [[ "$w" == -* ]] && continue
    if [[ -z "$cmd" ]]; then cmd="$w"; else npos=$((npos + 1)); fi
  done
  if [[ -z "$cmd" ]]; then
    COMPREPLY=( $(compgen -W ${shq(`${names.join(' ')} --help --version --json --store`)} -- "$cur") )
    return
  fi
  case "$cmd $prev" in
${flagCases.join('\n')}
  esac
  case "$cmd" in
${argCases.join('\n')}
  esac
}
complete -o default -F _paperlab paperlab
`;
}

/** A zsh completion script: the bash one through zsh's bashcompinit. */
export function zshScript(table: readonly CommandSpec[], w: CompletionWords): string {
  return `# paperlab completion for zsh. Install: add 'eval "$(paperlab completion zsh)"' to ~/.zshrc.
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashScript(table, w)
  .split('\n')
  .filter((l) => !l.startsWith('# paperlab completion for bash') && !l.startsWith('# (or add'))
  .join('\n')}`;
}

/** A fish completion script: commands with their summaries, each command's flags, values and arguments. */
export function fishScript(table: readonly CommandSpec[], w: CompletionWords): string {
  const names = table.map((c) => c.name);
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = [
    '# paperlab completion for fish. Install: paperlab completion fish > ~/.config/fish/completions/paperlab.fish',
    'complete -c paperlab -f',
    `complete -c paperlab -n '__fish_use_subcommand' -l version -d ${q('the versions of @paperlab/cli and @paperlab/core')}`,
    ...table.map((c) => `complete -c paperlab -n '__fish_use_subcommand' -a ${c.name} -d ${q(c.summary)}`),
  ];
  for (const c of table) {
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    for (const f of [...c.flags, ...GLOBAL_FLAGS]) {
      const v = flagValues(f, w);
      const value =
        f.type === 'boolean'
          ? ''
          : v === 'file'
            ? ' -r -F'
            : v === 'dir'
              ? ` -r -a '(__fish_complete_directories)'`
              : v === 'none'
                ? ' -r'
                : ` -r -a ${q(v.words.join(' '))}`;
      lines.push(
        `complete -c paperlab ${when} -l ${f.name}${f.short ? ` -s ${f.short}` : ''}${value} -d ${q(f.description)}`,
      );
    }
    const words = new Set<string>();
    let files = false;
    for (const a of c.args) {
      const v = argValues(a.name, a.choices, w, names);
      if (v === 'file' || v === 'dir') files = true;
      else if (v !== 'none') for (const x of v.words) words.add(x);
    }
    if (words.size) lines.push(`complete -c paperlab ${when} -a ${q([...words].join(' '))}`);
    if (files) lines.push(`complete -c paperlab ${when} -F`);
  }
  return `${lines.join('\n')}\n`;
}

/** The words the installed plugins give (experiment ids, plugin names, presets); empty if none load. */
export function completionWords(lab: Lab | undefined): CompletionWords {
  if (!lab) return { experiments: [], plugins: [], presets: ['smoke', 'paper'] };
  const experiments = lab.listExperiments();
  const presets = new Set(['smoke', 'paper']);
  for (const e of experiments) for (const p of Object.keys(e.presets)) presets.add(p);
  return {
    experiments: experiments.map((e) => e.id),
    plugins: lab.listPlugins().map((p) => p.name),
    presets: [...presets],
  };
}

/** `paperlab completion <shell>`: a completion script generated from the command table. */
export function completionSpec(all: () => readonly CommandSpec[]) {
  return defineCommand({
    name: 'completion',
    summary: 'shell completion script for bash, zsh or fish',
    description:
      'Prints a script that completes commands, options, option values, experiment ids and plugin names. ' +
      'Experiment ids are those installed when the script is written: write it again after installing a plugin.',
    args: [{ name: 'shell', required: true, choices: SHELLS, description: 'the shell to complete in' }],
    flags: [],
    examples: [
      'paperlab completion bash > ~/.local/share/bash-completion/completions/paperlab',
      'echo \'eval "$(paperlab completion zsh)"\' >> ~/.zshrc',
      'paperlab completion fish > ~/.config/fish/completions/paperlab.fish',
    ],
    async run({ args }, { io, global, lab }) {
      let loaded: Lab | undefined;
      try {
        loaded = await lab();
      } catch {
        loaded = undefined;
      }
      const words = completionWords(loaded);
      const table = all();
      const script =
        args.shell === 'fish'
          ? fishScript(table, words)
          : args.shell === 'zsh'
            ? zshScript(table, words)
            : bashScript(table, words);
      if (global.json) io.json({ shell: args.shell, script });
      else io.out(script.trimEnd());
      return 0;
    },
  });
}
