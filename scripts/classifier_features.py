"""Prompt features for the complexity classifier: the reference implementation.

Sources/FinOpsCore/PromptFeatures.swift (and PromptScan.swift, MultipleChoiceShape.swift) must
compute exactly the same numbers; the weights file carries fixture prompts with the logit this
code gives them, ClassifierWeightsTests checks the Swift scorer reproduces each one, and
`finops-router eval --scores` lets the training script compare every dev prompt.
Change both sides together.

Byte-level on UTF-8 so the two languages cannot disagree about Unicode: ASCII letters are
lower-cased, a word is a maximal run of [a-z0-9_] or non-ASCII bytes, and a "character" is a
Unicode scalar (every byte that is not a UTF-8 continuation byte).
"""
import math

# Order is the order of FEATURES below and of the weights in the file.
FEATURES = [
    "log_chars",        # ln(1 + characters)
    "avg_word_len",     # mean word length in bytes, capped at 12
    "digit_ratio",      # digits / characters
    "math_symbols",     # ln(1 + count of = + * / ^ < > % \ $)
    "code_symbols",     # ln(1 + count of { } ; ` and _)
    "code_fence",       # 1 if the text holds a ``` fence
    "question_marks",   # min(count of ?, 5)
    "newlines",         # ln(1 + newlines)
    "sentences",        # ln(1 + sentence ends: . ! ? followed by whitespace or the end)
    "kw_reasoning",     # ln(1 + keyword hits) for each keyword group in the weights file
    "kw_math",
    "kw_code",
    "kw_law",
    "kw_medical",
    "kw_science",
    "kw_economics",
    "kw_logic",
    "kw_negation",
    "kw_conditional",
    "kw_humanities",
    "kw_simple_task",
    "short_prompt",     # max(0, 1 - words / 8): greetings and one-liners (the dev data has none)
    # Answer options ("A. ...", "B) ..." lines); all 0 unless at least two option lines.
    "multiple_choice",  # 1 with two or more option lines
    "option_chars",     # ln(1 + mean characters per option)
    "option_spread",    # ln(1 + longest option) - ln(1 + shortest option), in characters
    "option_numeric",   # share of options whose characters are more than 30% digits
    "stem_chars",       # ln(1 + characters outside the option lines)
    "turns",            # ln(user turns)
    "has_system",       # 1 if there is a system message
    "max_tokens",       # ln(1 + max_tokens / 256), 0 when not requested
    "tools",            # 1 if the request offers tools / functions
]

MATH_SYMBOLS = set(b"=+*/^<>%\\$")
CODE_SYMBOLS = set(b"{};`")  # "_" is a word byte, counted in the word branch
SENTENCE_ENDS = set(b".!?")
WHITESPACE = set(b" \t\r\n")
OPTION_LETTERS = set(b"ABCDEFGHIJ")
OPTION_MARKS = set(b".)")


def is_word_byte(c):
    return (97 <= c <= 122) or (48 <= c <= 57) or c == 95 or c >= 0x80


def chars_of(data):
    return sum(1 for c in data if c & 0xC0 != 0x80)


def option_shape(data):
    """Option lines: a line that starts with a capital A-J, then "." or ")", then a space.
    Returns the five option features (zeros unless two or more option lines)."""
    lengths, numeric, option_total = [], 0, 0
    for line in data.split(b"\n"):
        if len(line) >= 3 and line[0] in OPTION_LETTERS and line[1] in OPTION_MARKS and line[2] == 32:
            body = line[3:]
            n = chars_of(body)
            digits = sum(1 for c in body if 48 <= c <= 57)
            lengths.append(n)
            numeric += 1 if 10 * digits > 3 * n else 0
            option_total += chars_of(line)
    if len(lengths) < 2:
        return [0.0] * 5
    k = len(lengths)
    return [1.0, math.log1p(sum(lengths) / k), math.log1p(max(lengths)) - math.log1p(min(lengths)),
            numeric / k, math.log1p(chars_of(data) - option_total)]


def scan(text, groups, turns=1, has_system=False, max_tokens=None, tools=False):
    """(feature values in FEATURES order, the words in order). `groups` maps a group name
    ("reasoning") to a set of lower-case keywords as bytes; a keyword with a space ("step by")
    matches two consecutive words."""
    data = text.encode("utf-8")
    chars = digits = math_sym = code_sym = qmarks = newlines = sentences = 0
    word_bytes = 0
    words = []
    hits = {name: 0 for name in groups}
    lookup = {}
    for name, keywords in groups.items():
        for k in keywords:
            lookup.setdefault(k, []).append(name)
    current = bytearray()

    def end_word():
        nonlocal word_bytes
        if not current:
            return
        word = bytes(current)
        word_bytes += len(word)
        for name in lookup.get(word, ()):
            hits[name] += 1
        if words:
            for name in lookup.get(words[-1] + b" " + word, ()):
                hits[name] += 1
        words.append(word)
        current.clear()

    for i, c in enumerate(data):
        if c in SENTENCE_ENDS and (i + 1 == len(data) or data[i + 1] in WHITESPACE):
            sentences += 1
        if c & 0xC0 != 0x80:
            chars += 1
        if 65 <= c <= 90:
            c += 32
        if is_word_byte(c):
            current.append(c)
            if 48 <= c <= 57:
                digits += 1
            elif c == 95:
                code_sym += 1  # snake_case identifiers are code too
            continue
        end_word()
        if c in MATH_SYMBOLS:
            math_sym += 1
        elif c in CODE_SYMBOLS:
            code_sym += 1
        elif c == 63:
            qmarks += 1
        elif c == 10:
            newlines += 1
    end_word()
    n = len(words)
    values = {
        "log_chars": math.log1p(chars),
        "avg_word_len": min(word_bytes / n, 12.0) if n else 0.0,
        "digit_ratio": digits / chars if chars else 0.0,
        "math_symbols": math.log1p(math_sym),
        "code_symbols": math.log1p(code_sym),
        "code_fence": 1.0 if b"```" in data else 0.0,
        "question_marks": float(min(qmarks, 5)),
        "newlines": math.log1p(newlines),
        "sentences": math.log1p(sentences),
        "short_prompt": max(0.0, 1.0 - n / 8),
        "turns": math.log(max(turns, 1)),
        "has_system": 1.0 if has_system else 0.0,
        "max_tokens": math.log1p(max_tokens / 256) if max_tokens else 0.0,
        "tools": 1.0 if tools else 0.0,
    }
    for name in groups:
        values["kw_" + name] = math.log1p(hits[name])
    for name, v in zip(["multiple_choice", "option_chars", "option_spread", "option_numeric", "stem_chars"],
                       option_shape(data)):
        values[name] = v
    return [values[f] for f in FEATURES], words


def features(text, groups, **request):
    return scan(text, groups, **request)[0]


def vocabulary_term(words, vocabulary):
    """The word part of the logit: the sum of the words' weights (a word counts each time it
    occurs; words outside the vocabulary weigh 0), divided by sqrt(number of words). Summed in
    text order, as the Swift scanner does."""
    if not words:
        return 0.0
    total = 0.0
    for w in words:
        total += vocabulary.get(w, 0.0)
    return total / math.sqrt(len(words))
