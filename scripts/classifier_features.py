"""Prompt features for the complexity classifier: the reference implementation.

Sources/FinOpsCore/PromptFeatures.swift must compute exactly the same numbers; the weights
file carries fixture prompts with the logit this code gives them, and ClassifierWeightsTests
checks the Swift scorer reproduces each one. Change both files together.

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
    "turns",            # ln(user turns)
    "has_system",       # 1 if there is a system message
    "max_tokens",       # ln(1 + max_tokens / 256), 0 when not requested
    "tools",            # 1 if the request offers tools / functions
]

MATH_SYMBOLS = set(b"=+*/^<>%\\$")
CODE_SYMBOLS = set(b"{};`")  # "_" is a word byte, counted in the word branch
SENTENCE_ENDS = set(b".!?")
WHITESPACE = set(b" \t\r\n")


def is_word_byte(c):
    return (97 <= c <= 122) or (48 <= c <= 57) or c == 95 or c >= 0x80


def features(text, groups, turns=1, has_system=False, max_tokens=None, tools=False):
    """`groups` maps a group name ("reasoning") to a set of lower-case keywords as bytes;
    a keyword with a space ("step by") matches two consecutive words."""
    data = text.encode("utf-8")
    chars = digits = math_sym = code_sym = qmarks = newlines = sentences = 0
    word_bytes = words = 0
    hits = {name: 0 for name in groups}
    lookup = {}
    for name, keywords in groups.items():
        for k in keywords:
            lookup.setdefault(k, []).append(name)
    current = bytearray()
    previous = None

    def end_word():
        nonlocal word_bytes, words, previous
        if not current:
            return
        word = bytes(current)
        words += 1
        word_bytes += len(word)
        for name in lookup.get(word, ()):
            hits[name] += 1
        if previous is not None:
            for name in lookup.get(previous + b" " + word, ()):
                hits[name] += 1
        previous = word
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
    values = {
        "log_chars": math.log1p(chars),
        "avg_word_len": min(word_bytes / words, 12.0) if words else 0.0,
        "digit_ratio": digits / chars if chars else 0.0,
        "math_symbols": math.log1p(math_sym),
        "code_symbols": math.log1p(code_sym),
        "code_fence": 1.0 if b"```" in data else 0.0,
        "question_marks": float(min(qmarks, 5)),
        "newlines": math.log1p(newlines),
        "sentences": math.log1p(sentences),
        "short_prompt": max(0.0, 1.0 - words / 8),
        "turns": math.log(max(turns, 1)),
        "has_system": 1.0 if has_system else 0.0,
        "max_tokens": math.log1p(max_tokens / 256) if max_tokens else 0.0,
        "tools": 1.0 if tools else 0.0,
    }
    for name in groups:
        values["kw_" + name] = math.log1p(hits[name])
    return [values[f] for f in FEATURES]
