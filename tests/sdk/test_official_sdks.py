"""The official OpenAI and Anthropic Python SDKs, unchanged, against a running router.

The router runs on its embedded defaults (simulator provider), started by scripts/sdk-tests,
which passes its URL in FINOPS_ROUTER_URL.
"""
import os

import anthropic
import openai
import pytest

URL = os.environ.get("FINOPS_ROUTER_URL", "http://127.0.0.1:18099")


@pytest.fixture
def oai():
    return openai.OpenAI(base_url=f"{URL}/v1", api_key="unused-in-open-mode", max_retries=0)


@pytest.fixture
def claude():
    return anthropic.Anthropic(base_url=URL, api_key="unused-in-open-mode", max_retries=0)


def test_openai_chat(oai):
    raw = oai.chat.completions.with_raw_response.create(
        model="gpt-4o-mini",
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello"}],
        max_tokens=20,
    )
    completion = raw.parse()
    assert completion.object == "chat.completion"
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content
    assert completion.usage.completion_tokens == 20
    assert completion.choices[0].finish_reason == "length"
    assert float(raw.headers["x-finops-cost-usd"]) > 0
    assert raw.headers["x-finops-provider"] == "simulator"


def test_openai_stream_with_usage(oai):
    stream = oai.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Count to five"}],
        max_tokens=30,
        stream=True,
        stream_options={"include_usage": True},
    )
    text, usage = "", None
    for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
        if chunk.usage:
            usage = chunk.usage
    assert text.strip()
    assert usage is not None and usage.completion_tokens == 30


def test_openai_unknown_model_is_not_found(oai):
    with pytest.raises(openai.NotFoundError) as err:
        oai.chat.completions.create(model="gpt-9-ultra", messages=[{"role": "user", "content": "x"}])
    assert err.value.status_code == 404
    assert "gpt-9-ultra" in str(err.value)


def test_openai_bad_request(oai):
    with pytest.raises(openai.BadRequestError):
        oai.chat.completions.create(model="gpt-4o-mini", messages=[])


def test_openai_embeddings(oai):
    result = oai.embeddings.create(model="text-embedding-3-small", input=["hello", "world"])
    assert len(result.data) == 2
    assert len(result.data[0].embedding) == 256


def test_anthropic_message(claude):
    message = claude.messages.create(
        model="claude-sonnet-4-20250514",
        max_tokens=25,
        system="Be brief.",
        messages=[{"role": "user", "content": "Say hello"}],
    )
    assert message.type == "message"
    assert message.role == "assistant"
    assert message.content[0].type == "text" and message.content[0].text
    assert message.stop_reason == "max_tokens"
    assert message.usage.output_tokens == 25


def test_anthropic_stream(claude):
    with claude.messages.stream(
        model="claude-sonnet-4-20250514", max_tokens=15, messages=[{"role": "user", "content": "Hi"}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text.strip()
    assert final.usage.output_tokens == 15
    assert final.stop_reason == "max_tokens"


def test_anthropic_unknown_model(claude):
    with pytest.raises(anthropic.NotFoundError):
        claude.messages.create(model="claude-9", max_tokens=5, messages=[{"role": "user", "content": "x"}])
