import {
  InputRule,
  inputRules,
  textblockTypeInputRule,
  wrappingInputRule,
  ellipsis,
} from 'prosemirror-inputrules';
import type { MarkType, NodeType, Schema } from 'prosemirror-model';
import { TextSelection, type Plugin } from 'prosemirror-state';
import { taskInputRule } from './tasks.js';

/**
 * A rule that turns `<open>text<close>` into `text` with `markType`, as the closing
 * delimiter is typed. The whole match must be exactly `<open>text<close>` (use a lookbehind
 * for conditions on the character before), with the text captured as group 1.
 */
export function markInputRule(pattern: RegExp, markType: MarkType): InputRule {
  return new InputRule(pattern, (state, match, start, end) => {
    const text = match[1];
    if (!text) return null;
    const textStart = start + match[0].lastIndexOf(text);
    const textEnd = textStart + text.length;
    const $start = state.doc.resolve(start);
    // Do not apply inside inline code or where the mark is not allowed.
    if (!$start.parent.type.allowsMarkType(markType)) return null;
    if (state.doc.rangeHasMark(textStart, textEnd, state.schema.marks.code!)) return null;
    const tr = state.tr;
    // The rule fires before the last typed character is inserted: [start, end) holds the
    // opening delimiter, the text and the closing delimiter minus its last character.
    if (textEnd < end) tr.delete(textEnd, end);
    if (textStart > start) tr.delete(start, textStart);
    tr.addMark(start, start + text.length, markType.create());
    tr.removeStoredMark(markType);
    return tr;
  });
}

/** `# `, `## `, `### ` → heading of that level. */
export function headingRule(nodeType: NodeType, maxLevel = 3): InputRule {
  return textblockTypeInputRule(new RegExp(`^(#{1,${maxLevel}})\\s$`), nodeType, (match) => ({
    level: match[1]!.length,
  }));
}

/** `> ` → blockquote. */
export function blockquoteRule(nodeType: NodeType): InputRule {
  return wrappingInputRule(/^\s*>\s$/, nodeType);
}

/** `- `, `* ` or `+ ` → bullet list. */
export function bulletListRule(nodeType: NodeType): InputRule {
  return wrappingInputRule(/^\s*([-+*])\s$/, nodeType);
}

/** `1. ` (any number, `.` or `)`) → ordered list starting at that number. */
export function orderedListRule(nodeType: NodeType): InputRule {
  return wrappingInputRule(
    /^(\d+)[.)]\s$/,
    nodeType,
    (match) => ({ order: Number(match[1]) }),
    (match, node) => node.childCount + (node.attrs.order as number) === Number(match[1]),
  );
}

/** ```` ``` ```` → code block. */
export function codeBlockRule(nodeType: NodeType): InputRule {
  return textblockTypeInputRule(/^```$/, nodeType);
}

/** `---` (or `***`, `___`) typed into an empty paragraph → horizontal rule. */
export function horizontalRuleRule(nodeType: NodeType): InputRule {
  return new InputRule(/^(?:---|\*\*\*|___)$/, (state, _match, start, end) => {
    const $start = state.doc.resolve(start);
    const paragraph = state.schema.nodes.paragraph!;
    if ($start.parent.type !== paragraph || $start.parent.content.size !== end - start) return null;
    const blockStart = $start.before();
    const tr = state.tr.replaceWith(blockStart, $start.after(), [nodeType.create(), paragraph.create()]);
    // Put the cursor in the fresh paragraph after the rule.
    return tr.setSelection(TextSelection.create(tr.doc, blockStart + 2));
  });
}

/**
 * Markdown-style input rules for the Tandem schema: headings, lists, tasks (`[ ] `, `[x] `),
 * blockquote, code block, horizontal rule, and the marks `**bold**`, `*italic*` / `_italic_`, `~~strike~~`, `` `code` ``.
 */
export function buildInputRules(schema: Schema): InputRule[] {
  const { nodes, marks } = schema;
  // No em-dash rule: `--` would swallow the `---` of a horizontal rule.
  const rules: InputRule[] = [ellipsis];
  if (nodes.heading) rules.push(headingRule(nodes.heading));
  if (nodes.blockquote) rules.push(blockquoteRule(nodes.blockquote));
  if (nodes.bullet_list) rules.push(bulletListRule(nodes.bullet_list));
  if (nodes.ordered_list) rules.push(orderedListRule(nodes.ordered_list));
  if (nodes.task_list && nodes.task_item) rules.push(taskInputRule(schema));
  if (nodes.code_block) rules.push(codeBlockRule(nodes.code_block));
  if (nodes.horizontal_rule) rules.push(horizontalRuleRule(nodes.horizontal_rule));
  if (marks.bold) {
    rules.push(markInputRule(/(?<![*\\])\*\*([^*\s](?:[^*]*[^*\s])?)\*\*$/, marks.bold));
    rules.push(markInputRule(/(?<![_\\\w])__([^_\s](?:[^_]*[^_\s])?)__$/, marks.bold));
  }
  if (marks.italic) {
    rules.push(markInputRule(/(?<![*\\])\*([^*\s](?:[^*]*[^*\s])?)\*$/, marks.italic));
    rules.push(markInputRule(/(?<![_\\\w])_([^_\s](?:[^_]*[^_\s])?)_$/, marks.italic));
  }
  if (marks.strike) rules.push(markInputRule(/(?<![~\\])~~([^~\s](?:[^~]*[^~\s])?)~~$/, marks.strike));
  if (marks.code) rules.push(markInputRule(/(?<![`\\])`([^`]+)`$/, marks.code));
  return rules;
}

/** The input-rules plugin for `schema`. */
export function inputRulesPlugin(schema: Schema): Plugin {
  return inputRules({ rules: buildInputRules(schema) });
}
