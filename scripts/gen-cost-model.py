#!/usr/bin/env python3
"""Cost model: tenants x requests/day x model mix -> monthly LLM cost with and without the router.

Writes docs/cost-model.csv from the pricing catalog (config/pricing.json, USD per 1M tokens), so
every price in it is a real catalog price. Money is computed in exact decimals (never summed
floats) and rounded to cents only in the output.

  scripts/gen-cost-model.py            # rewrite docs/cost-model.csv
  scripts/gen-cost-model.py --check    # exit 1 if docs/cost-model.csv differs from a fresh run
                                       # (Tests/DeploymentTests/CostModelTests runs this)

Assumptions (one row per scenario, all in the CSV's columns):
- "without router": every request goes to the tenant's baseline model, no cache.
- "with router": `router/auto` sends the share of requests in each tier (mix_small/medium/large)
  to the cheapest catalog model of that tier (or the named model), the cache answers
  cache_hit_rate of requests at no cost, and the router's own hosting (router_infra_usd_month:
  replicas x vCPU + memory at the stated rate, plus Redis and PostgreSQL) is added.
- Tokens per request are averages; cached prompt tokens are not modelled (conservative).
"""
import csv
import io
import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "config" / "pricing.json"
OUT = ROOT / "docs" / "cost-model.csv"
DAYS_PER_MONTH = 30

# name, requests/day, avg input tokens, avg output tokens, baseline model,
# mix small/medium/large (percent), cache hit rate (percent), router replicas
SCENARIOS = [
    ("startup-chatbot", 5_000, 600, 250, "gpt-4o", (70, 25, 5), 10, 2),
    ("saas-support", 50_000, 1_200, 300, "gpt-4o", (60, 35, 5), 20, 2),
    ("saas-support-claude", 50_000, 1_200, 300, "claude-sonnet-4-20250514", (60, 35, 5), 20, 2),
    ("internal-copilot", 200_000, 2_000, 400, "gpt-4.1", (50, 40, 10), 15, 3),
    ("document-extraction", 1_000_000, 3_000, 200, "gpt-4o", (85, 15, 0), 5, 6),
    ("enterprise-mixed", 5_000_000, 1_500, 350, "claude-sonnet-4-20250514", (55, 35, 10), 25, 12),
]
# Hosting assumptions for the router itself (list prices of a generic cloud, stated, not measured).
VCPU_USD_MONTH = Decimal("25")      # per vCPU-month
REPLICA_VCPU = Decimal("1")         # request 0.5, limit 2 (deployments/kubernetes): budget 1 vCPU
STATE_STORES_USD_MONTH = Decimal("150")  # a small managed Redis + PostgreSQL
# Tier models for "with router": the cheapest catalog model of the tier from the baseline's
# provider, so the comparison stays within one vendor agreement; where the catalog has no
# large-tier model of that provider (OpenAI today), large requests stay on the baseline.

HEADER = ["tenant", "requests_per_day", "days_per_month", "avg_input_tokens", "avg_output_tokens",
          "baseline_model", "baseline_input_usd_per_1m", "baseline_output_usd_per_1m",
          "mix_small_pct", "small_model", "mix_medium_pct", "medium_model", "mix_large_pct", "large_model",
          "cache_hit_rate_pct", "router_replicas", "router_infra_usd_month",
          "monthly_cost_without_router_usd", "monthly_llm_cost_with_router_usd",
          "monthly_total_with_router_usd", "monthly_savings_usd", "savings_pct", "catalog_version"]


def load_catalog():
    data = json.loads(CATALOG.read_text())
    assert data["unit"] == "per_1m_tokens" and data["currency"] == "USD", "catalog must be USD per 1M tokens"
    # Decimal(str(x)) keeps the catalog's decimal text exact.
    models = {m["model"]: {**m, "input": Decimal(str(m["input"])), "output": Decimal(str(m["output"]))}
              for m in data["models"]}
    return models, data["version"]


def cheapest(models, provider, tier, fallback=None):
    candidates = [m for m in models.values()
                  if m["provider"] == provider and m.get("tier") == tier and m["output"] > 0]
    if not candidates:
        return fallback
    return min(candidates, key=lambda m: (m["input"] + m["output"], m["model"]))["model"]


def per_request(model, tokens_in, tokens_out):
    return (model["input"] * tokens_in + model["output"] * tokens_out) / Decimal(1_000_000)


def usd(x):
    return str(x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def rows():
    models, version = load_catalog()
    out = []
    for name, per_day, tin, tout, baseline, (small, medium, large), hit, replicas in SCENARIOS:
        assert small + medium + large == 100, name
        base = models[baseline]
        provider = base["provider"]
        tiers = {"small": cheapest(models, provider, "small"), "medium": cheapest(models, provider, "medium"),
                 "large": cheapest(models, provider, "large", fallback=baseline)}
        monthly_requests = Decimal(per_day * DAYS_PER_MONTH)
        without = monthly_requests * per_request(base, tin, tout)
        blended = sum((Decimal(share) / 100 * per_request(models[tiers[t]], tin, tout)
                       for t, share in (("small", small), ("medium", medium), ("large", large))), Decimal(0))
        with_llm = monthly_requests * (1 - Decimal(hit) / 100) * blended
        infra = Decimal(replicas) * REPLICA_VCPU * VCPU_USD_MONTH + STATE_STORES_USD_MONTH
        total = with_llm + infra
        savings = without - total
        pct = (savings / without * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if without else Decimal(0)
        out.append([name, per_day, DAYS_PER_MONTH, tin, tout, baseline, str(base["input"]), str(base["output"]),
                    small, tiers["small"], medium, tiers["medium"], large, tiers["large"], hit, replicas, usd(infra),
                    usd(without), usd(with_llm), usd(total), usd(savings), str(pct), version])
    return out


def render():
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows())
    return buffer.getvalue()


def main(argv):
    text = render()
    if "--check" in argv:
        current = OUT.read_text() if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run scripts/gen-cost-model.py", file=sys.stderr)
            return 1
        print(f"{OUT.relative_to(ROOT)}: up to date with {CATALOG.relative_to(ROOT)}")
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(SCENARIOS)} scenarios)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
