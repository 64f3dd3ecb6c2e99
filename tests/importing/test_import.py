"""`smartgoals import`: exports mapped by rules or presets, idempotent, all or nothing."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.conftest import git, invoke, write_ledger

GOALS = """\
    metrics:
      website_visitors: {name: Visitors}
      pageviews: {name: Pageviews}
      linkedin_followers: {name: LinkedIn followers}
      revenue: {name: Revenue, unit: USD}
      refunds: {name: Refunds, unit: USD}
      new_subscriptions: {name: New subscriptions}
      signups: {name: Signups, aggregate: sum}
      latency: {name: Latency, unit: ms, direction: down}
      stage: {name: Stage, type: stage, stages: [idea, beta, live]}
      margin: {name: Margin, unit: USD, formula: "revenue - refunds"}
    """

PLAUSIBLE = """\
    date,visitors,pageviews,visits,views_per_visit,bounce_rate,visit_duration
    2025-01-01,10,20,12,1.67,50,30
    2025-01-02,11,25,13,1.92,48,31
    2025-01-03,9,18,10,1.8,52,29
    """


def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, "date,metric,value,note\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def journal(root: Path) -> str:
    return (root / "goals" / "log.csv").read_text(encoding="utf-8")


def commits(root: Path) -> int:
    return len(git(root, "log", "--oneline").splitlines())


def test_plausible_through_an_importer_imports_with_one_command_and_again_adds_nothing(
    repo: Path, cli
) -> None:
    root = ledger(repo)
    write(
        root / "importers" / "plausible.yaml",
        """\
        match: "visitors*.csv"
        preset: plausible
        rename: {visitors: website_visitors}
        """,
    )
    export = write(root / "exports" / "visitors.csv", PLAUSIBLE)
    result = invoke(cli, root, "import", str(export))
    assert result.exit_code == 0, result.output
    assert "6 values from visitors.csv (plausible): committed" in result.stdout
    assert "left out: visits: not a metric of this ledger" in result.stdout
    assert journal(root).splitlines()[1:] == [
        "2025-01-01,website_visitors,10,",
        "2025-01-02,website_visitors,11,",
        "2025-01-03,website_visitors,9,",
        "2025-01-01,pageviews,20,",
        "2025-01-02,pageviews,25,",
        "2025-01-03,pageviews,18,",
    ]
    message = git(root, "log", "-1", "--format=%B")
    assert message.startswith("import: 6 values from visitors.csv (plausible)\n\n")
    assert "website_visitors = 10 (2025-01-01)" in message
    assert git(root, "status", "--porcelain", "goals") == ""
    before, count = journal(root), commits(root)
    again = invoke(cli, root, "import", str(export))
    assert again.exit_code == 0, again.output
    assert "nothing new from visitors.csv (plausible)" in again.stdout
    assert "skipped: 6 already recorded" in again.stdout
    assert journal(root) == before
    assert commits(root) == count


def test_preset_option_alone(repo: Path, cli) -> None:
    root = ledger(repo)
    export = write(root / "visitors.csv", PLAUSIBLE)
    result = invoke(cli, root, "import", str(export), "--preset", "plausible")
    assert result.exit_code == 0, result.output
    assert "2 values" not in result.stdout
    assert "3 values from visitors.csv (plausible)" in result.stdout  # pageviews only
    assert "left out: visitors: not a metric of this ledger" in result.stdout


def test_unknown_preset_is_named_with_a_suggestion(repo: Path, cli) -> None:
    root = ledger(repo)
    export = write(root / "visitors.csv", PLAUSIBLE)
    result = invoke(cli, root, "import", str(export), "--preset", "plausable")
    assert result.exit_code == 1
    assert "unknown preset 'plausable' (did you mean 'plausible'?)" in result.stderr


def test_linkedin_followers_become_a_running_total_from_the_anchor(repo: Path, cli) -> None:
    root = ledger(repo)
    write(
        root / "followers.csv.rules.yaml",
        """\
        preset: linkedin
        anchor: {value: 500, date: 2025-03-03}
        """,
    )
    export = write(
        root / "followers.csv",
        """\
        Date,Sponsored followers,Organic followers,Auto-invited followers,Total followers
        03/01/2025,0,4,0,4
        03/02/2025,1,2,0,3
        03/03/2025,0,5,0,5
        03/04/2025,0,2,0,2
        """,
    )
    result = invoke(cli, root, "import", str(export))
    assert result.exit_code == 0, result.output
    assert journal(root).splitlines()[1:] == [
        "2025-03-01,linkedin_followers,492,",
        "2025-03-02,linkedin_followers,495,",
        "2025-03-03,linkedin_followers,500,",
        "2025-03-04,linkedin_followers,502,",
    ]
    assert "(linkedin)" in git(root, "log", "-1", "--format=%s")
    again = invoke(cli, root, "import", str(export))
    assert "nothing new" in again.stdout


def test_linkedin_without_an_anchor_says_what_to_add(repo: Path, cli) -> None:
    root = ledger(repo)
    export = write(root / "followers.csv", "Date,Total followers\n03/01/2025,4\n")
    result = invoke(cli, root, "import", str(export), "--preset", "linkedin")
    assert result.exit_code == 1
    assert "anchor: {value: N, date: YYYY-MM-DD}" in result.stderr
    assert journal(root) == "date,metric,value,note\n"


def test_stripe_balance_sums_charges_and_refunds_per_finished_month(repo: Path, cli) -> None:
    root = ledger(repo)
    export = write(
        root / "balance.csv",
        """\
        id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC),Description
        txn_1,charge,ch_1,49.00,1.72,47.28,usd,2025-01-05 10:00:00,2025-01-07 00:00:00,Pro plan
        txn_2,charge,ch_2,"1,000.50",29.32,971.18,usd,2025-01-20 12:00:00,2025-01-22 00:00:00,Team
        txn_3,refund,re_1,-49.00,0.00,-49.00,usd,2025-01-25 09:00:00,2025-01-25 00:00:00,Refund
        txn_4,payout,po_1,-900.00,0.00,-900.00,usd,2025-01-28 00:00:00,2025-01-28 00:00:00,Payout
        txn_5,stripe_fee,,-2.00,0.00,-2.00,usd,2025-01-29 00:00:00,2025-01-29 00:00:00,Fee
        txn_6,payment,py_1,20.00,0.88,19.12,usd,2025-02-02 00:00:00,2025-02-04 00:00:00,Link
        """,
    )
    result = invoke(cli, root, "import", str(export), "--preset", "stripe-balance")
    assert result.exit_code == 0, result.output
    assert journal(root).splitlines()[1:] == [
        "2025-01-31,revenue,1049.5,",
        "2025-02-28,revenue,20,",
        "2025-01-31,refunds,49,",
    ]
    assert "skipped: 2 rows of other kinds" in result.stdout  # payout, stripe_fee


def test_stripe_subscriptions_counts_new_subscriptions_per_month(repo: Path, cli) -> None:
    root = ledger(repo)
    header = (
        "id,Customer ID,Customer Description,Customer Email,Plan,Product,Quantity,Currency,"
        "Interval,Amount,Status,Created (UTC),Start (UTC),Current Period Start (UTC),"
        "Current Period End (UTC),Trial Start (UTC),Trial End (UTC),Application Fee Percent,"
        "Coupon,Tax Percent,Canceled At (UTC),Cancel At Period End,Ended At (UTC)"
    )
    rows = [
        "sub_1,cus_1,,a@x.io,pro,prod_1,1,usd,month,49,active,2025-01-03 10:00,2025-01-03 10:00,,,,,,,,,false,",
        "sub_2,cus_2,,b@x.io,pro,prod_1,1,usd,month,49,trialing,2025-01-09 10:00,2025-01-09 10:00,,,2025-01-09 10:00,2025-01-23 10:00,,,,,false,",
        "sub_3,cus_3,,c@x.io,pro,prod_1,1,usd,month,49,canceled,2025-02-11 10:00,2025-02-11 10:00,,,,,,HALF,,2025-02-20 10:00,false,2025-02-20 10:00",
    ]
    export = write(root / "subscriptions.csv", "\n".join([header, *rows]) + "\n")
    result = invoke(cli, root, "import", str(export), "--preset", "stripe-subscriptions")
    assert result.exit_code == 0, result.output
    assert journal(root).splitlines()[1:] == [
        "2025-01-31,new_subscriptions,2,",
        "2025-02-28,new_subscriptions,1,",
    ]


def test_one_invalid_row_among_many_writes_nothing_and_lists_every_problem(repo: Path, cli) -> None:
    root = ledger(repo)
    rows = [f"2025-01-{day:02d},{day * 10}" for day in range(1, 29)]
    rows[4] = "2025-01-05,lots"
    rows[9] = "2025-13-10,5"
    rows[20] = "2025-01-21,"
    export = write(root / "signups.csv", "day,count\n" + "\n".join(rows) + "\n")
    write(
        root / "signups.csv.rules.yaml", "date: day\nvalues:\n  - {metric: signups, value: count}\n"
    )
    before, count = journal(root), commits(root)
    result = invoke(cli, root, "import", str(export))
    assert result.exit_code == 1
    assert "nothing was recorded: 3 problems" in result.stdout
    lines = result.stderr.splitlines()
    assert lines == [
        "signups.csv:6: signups: count: 'lots' is not a number; write e.g. 1200, 5k, $5,000, "
        "1.2M, 60%, 5:1 or 200ms",
        "signups.csv:11: signups: day: '2025-13-10' is not a date (YYYY-MM-DD)",
        "signups.csv:22: signups: count: empty value",
    ]
    assert journal(root) == before
    assert commits(root) == count


def test_conflicts_are_reported_and_corrected_only_with_update(repo: Path, cli) -> None:
    root = ledger(repo)
    (root / "goals" / "log.csv").write_text(
        "date,metric,value,note\n2025-01-02,pageviews,24,typed by hand\n", encoding="utf-8"
    )
    git(root, "commit", "-q", "-am", "by hand")
    export = write(root / "visitors.csv", PLAUSIBLE)
    result = invoke(cli, root, "import", str(export), "--preset", "plausible")
    assert result.exit_code == 0, result.output
    assert (
        "conflict: pageviews on 2025-01-02: the journal has 24, visitors.csv 25: not appended "
        "(--update corrects it)" in result.stdout
    )
    assert "2 values from visitors.csv" in result.stdout
    assert "2025-01-02,pageviews,25" not in journal(root)
    updated = invoke(cli, root, "import", str(export), "--preset", "plausible", "--update")
    assert updated.exit_code == 0, updated.output
    assert "appended as a correction" in updated.stdout
    assert journal(root).splitlines()[-1] == "2025-01-02,pageviews,25,correction: 24 -> 25"
    status = json.loads(invoke(cli, root, "export", "--json", "--as-of", "2025-01-02").stdout)
    assert [r["value"] for r in status["rows"] if r["metric"] == "pageviews"] == [20, 25]
    again = invoke(cli, root, "import", str(export), "--preset", "plausible", "--update")
    assert "nothing new" in again.stdout


def test_dry_run_prints_the_rows_and_writes_nothing(repo: Path, cli) -> None:
    root = ledger(repo)
    export = write(root / "visitors.csv", PLAUSIBLE)
    result = invoke(cli, root, "import", str(export), "--preset", "plausible", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would append 3 values from visitors.csv (plausible):" in result.stdout
    assert "2025-01-01,pageviews,20," in result.stdout.splitlines()
    assert journal(root) == "date,metric,value,note\n"


def test_json_with_records_pointer_metric_column_scale_and_weekly_mean(repo: Path, cli) -> None:
    root = ledger(repo)
    write(
        root / "rules" / "api.yaml",
        """\
        records: /data/items
        date: day
        note: from the API
        values:
          - metric: {column: kind, map: {p95: latency}}
            value: micros
            scale: 0.001
            aggregate: mean
            period: week
          - metric: revenue
            value: cents
            scale: 0.01
            aggregate: sum
            period: month
        """,
    )
    export = root / "api.json"
    export.write_text(
        json.dumps(
            {
                "data": {
                    "items": [
                        {"day": "2025-01-06", "kind": "p95", "micros": 200000, "cents": 1999},
                        {"day": "2025-01-07", "kind": "p95", "micros": 100000, "cents": 1},
                        {"day": "2025-01-08", "kind": "p50", "micros": 50000, "cents": 0},
                    ]
                }
            }
        ),
        encoding="utf-8",
    )
    result = invoke(cli, root, "import", str(export), "--rules", str(root / "rules" / "api.yaml"))
    assert result.exit_code == 0, result.output
    assert journal(root).splitlines()[1:] == [
        "2025-01-12,latency,150,from the API",
        "2025-01-31,revenue,20,from the API",
    ]


def test_rules_problems_are_at_file_line_column(repo: Path, cli) -> None:
    root = ledger(repo)
    rules = write(
        root / "bad.yaml",
        """\
        date: day
        values:
          - metric: signups
            value: count
            agregate: sum
          - metric: {column: kind, mapping: {a: signups}}
            period: year
        """,
    )
    export = write(root / "x.csv", "day,count\n2025-01-01,1\n")
    result = invoke(cli, root, "import", str(export), "--rules", str(rules))
    assert result.exit_code == 1
    errors = result.stderr
    assert (
        f"{rules}:5:5: values[0].agregate: unknown key 'agregate' (did you mean 'aggregate'?)"
        in errors
    )
    assert "values[1].metric.mapping: unknown key 'mapping' (did you mean 'map'?)" in errors
    assert ":7:5: values[1].period: Input should be 'day', 'week' or 'month'" in errors
    assert journal(root) == "date,metric,value,note\n"


def test_rules_that_name_a_missing_column_or_a_derived_metric(repo: Path, cli) -> None:
    root = ledger(repo)
    rules = write(
        root / "r.yaml",
        """\
        date: when
        values:
          - {metric: margin, value: count}
          - {metric: signups, value: cont}
        """,
    )
    export = write(root / "x.csv", "day,count\n2025-01-01,1\n")
    result = invoke(cli, root, "import", str(export), "--rules", str(rules))
    assert result.exit_code == 1
    assert "date column 'when' is not in the file" in result.stderr
    assert "margin is computed from its formula" in result.stderr
    assert "value column 'cont' is not in the file (did you mean 'count'?)" in result.stderr


def test_without_rules_it_says_where_rules_are_looked_for(repo: Path, cli) -> None:
    root = ledger(repo)
    export = write(root / "x.csv", "day,count\n2025-01-01,1\n")
    result = invoke(cli, root, "import", str(export))
    assert result.exit_code == 1
    assert "no rules for x.csv: give --preset NAME" in result.stderr


def test_future_dates_are_refused(repo: Path, cli) -> None:
    root = ledger(repo)
    export = write(root / "x.csv", "day,count\n2999-01-01,1\n")
    write(root / "x.csv.rules.yaml", "date: day\nvalues: [{metric: signups, value: count}]\n")
    result = invoke(cli, root, "import", str(export))
    assert result.exit_code == 1
    assert "2999-01-01 is in the future" in result.stderr


@pytest.mark.parametrize(
    "name", ["plausible", "linkedin", "stripe-balance", "stripe-subscriptions"]
)
def test_presets_are_valid_rules(name: str) -> None:
    from smartgoals.importing.rules import _preset_bytes, parse_rules

    rules, problems = parse_rules(_preset_bytes(name), name)
    assert problems == []
    assert rules is not None and rules.values


def test_the_committed_schema_accepts_every_preset_and_refuses_a_typo() -> None:
    import jsonschema
    import yaml

    from smartgoals.importing.rules import _preset_bytes, preset_names
    from tests.conftest import REPO_ROOT

    schema = json.loads((REPO_ROOT / "schemas" / "import-rules.schema.json").read_text())
    for name in preset_names():
        jsonschema.validate(yaml.safe_load(_preset_bytes(name)), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"date": "d", "values": [{"metric": "x", "agregate": "sum"}]}, schema)
