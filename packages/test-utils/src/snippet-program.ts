import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { CodeBlock } from './readme-blocks.ts';

/** A README block given a file name, as a reader would save it. */
export interface Snippet {
  block: CodeBlock;
  /** Absolute path of the in-memory file; nothing is written to disk. */
  fileName: string;
}

/** A TypeScript diagnostic of a snippet, placed on its README line. */
export interface SnippetDiagnostic {
  block: CodeBlock;
  /** 1-based README line of the diagnostic (of the block when the diagnostic has no position). */
  line: number;
  message: string;
}

export interface SnippetProgramResult {
  diagnostics: SnippetDiagnostic[];
  /** Per snippet file: the `@types/*` packages its imports' declarations came from. */
  typesPackages: Map<string, Set<string>>;
}

/**
 * What a reader who copies a snippet into a new project would most likely have: `strict`, Node's ESM
 * resolution, Node's types and the DOM (tracker snippets run in a page), JavaScript checked too. Not
 * this repository's stricter extras (`exactOptionalPropertyTypes`, …): the docs must not demand them.
 */
export const READER_COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  // Each snippet is its own module, so two snippets may both declare `const skopos`.
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: ['node'],
  skipLibCheck: true,
  noEmit: true,
  allowJs: true,
  checkJs: true,
  // `import { arrayStore } from './my-store.ts'`, as Node's type stripping wants it.
  allowImportingTsExtensions: true,
};

/**
 * Typechecks all snippets in one program. A bare import that the snippet's own folder cannot
 * resolve is looked up from each of `packageDirs` in turn (the workspace packages and their
 * dependencies), which stands in for the reader's `node_modules` after the README's install line.
 */
export function checkSnippetProgram(snippets: Snippet[], packageDirs: string[]): SnippetProgramResult {
  const options = READER_COMPILER_OPTIONS;
  const files = new Map(snippets.map((snippet) => [snippet.fileName, snippet]));
  const virtualDirs = new Set(snippets.flatMap((snippet) => ancestors(dirname(snippet.fileName))));
  const host = ts.createCompilerHost(options, true);
  const disk = { ...host };
  host.fileExists = (file) => files.has(file) || disk.fileExists(file);
  host.readFile = (file) => files.get(file)?.block.code ?? disk.readFile(file);
  host.directoryExists = (dir) => virtualDirs.has(dir) || ts.sys.directoryExists(dir);
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) => {
    const snippet = files.get(file);
    if (snippet) return ts.createSourceFile(file, snippet.block.code, languageVersion, true);
    return disk.getSourceFile(file, languageVersion, onError, shouldCreate);
  };

  const typesPackages = new Map<string, Set<string>>();
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (name) => name, options);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, sourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(sourceFile, literal, compilerOptions);
      const resolve = (from: string, ref = redirected) =>
        ts.resolveModuleName(literal.text, from, compilerOptions, host, cache, ref, mode);
      let result = resolve(containingFile);
      if (!files.has(containingFile)) return result;
      for (const dir of packageDirs) {
        if (result.resolvedModule || literal.text.startsWith('.')) break;
        result = resolve(join(dir, '__snippet__.ts'), undefined);
      }
      const types = result.resolvedModule?.packageId?.name;
      if (types?.startsWith('@types/') && types !== '@types/node') {
        typesPackages.set(containingFile, (typesPackages.get(containingFile) ?? new Set()).add(types));
      }
      return result;
    });

  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  const setup = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (setup.length > 0) {
    throw new Error(`snippet compiler setup: ${setup.map((d) => flatten(d.messageText)).join('; ')}`);
  }
  const diagnostics = [...files.values()].flatMap((snippet) => {
    const sourceFile = program.getSourceFile(snippet.fileName);
    if (!sourceFile) throw new Error(`snippet file not in the program: ${snippet.fileName}`);
    const all = [
      ...program.getSyntacticDiagnostics(sourceFile),
      ...program.getSemanticDiagnostics(sourceFile),
    ];
    // JavaScript has no annotations to add, so "implicitly has an 'any' type" is no advice to its reader.
    const relevant = isJavaScript(snippet.fileName) ? all.filter((d) => !IMPLICIT_ANY.has(d.code)) : all;
    return relevant.map((diagnostic) => toSnippetDiagnostic(snippet.block, diagnostic));
  });
  return { diagnostics, typesPackages };
}

/** A snippet's syntax errors only: for blocks that cannot stand on their own (fragments). */
export function syntaxDiagnostics(block: CodeBlock, fileName: string): SnippetDiagnostic[] {
  const { diagnostics = [] } = ts.transpileModule(block.code, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { ...READER_COMPILER_OPTIONS, noEmit: false },
  });
  return diagnostics.map((diagnostic) => toSnippetDiagnostic(block, diagnostic));
}

function toSnippetDiagnostic(block: CodeBlock, diagnostic: ts.Diagnostic): SnippetDiagnostic {
  const at =
    diagnostic.file && diagnostic.start !== undefined
      ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
      : 0;
  return {
    block,
    line: block.line + at,
    message: `TS${diagnostic.code}: ${flatten(diagnostic.messageText)}`,
  };
}

const IMPLICIT_ANY = new Set([7005, 7006, 7008, 7010, 7011, 7016, 7019, 7031, 7034]);
const isJavaScript = (fileName: string): boolean => /\.[cm]?jsx?$/.test(fileName);

const flatten = (text: string | ts.DiagnosticMessageChain): string =>
  ts.flattenDiagnosticMessageText(text, ' ');

function ancestors(dir: string): string[] {
  const parent = dirname(dir);
  return parent === dir ? [dir] : [dir, ...ancestors(parent)];
}
