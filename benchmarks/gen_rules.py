#!/usr/bin/env python3
"""Writes a large, valid client rule file for the check benchmark.

Usage: python3 benchmarks/gen_rules.py --rules 10000 --out /tmp/rules10k.rules
       python3 benchmarks/gen_rules.py --rules 10000 --refund-status accepted --out /tmp/refunds.rules

`--refund-status` makes that status's rules record-only refunds instead of notes: a table of
1,250 refunds, for the lints that compare money-moving rules pairwise (RR0303) and name a
witness per finding (RR0309).

The rules are spread over the eight return statuses, one `match first` table each; every rule
compares the return type, mode and refund amount, so the linter has real work (a distinct
amount atom per rule) and the checker sees every construct of an ordinary file. Each table ends
with a catch-all rule, as the coverage lint requires.
"""
import argparse

HEAD = """returnrules 1

client "bench-large"
currency EUR
rounding half_up
refundable_statuses processing, completed
grades A, B, C, D
restock_grades A, B
allow_backorders no

reveni {
  pays_bank_transfers yes
  issues_store_credit no
  restocks_on_accept no
  creates_exchange_orders no
}

"""
STATUSES = ["in_progress", "shipped", "received", "for_review", "accepted", "partly_accepted", "rejected", "cancelled"]
TYPES = ["refund", "exchange", "mixed"]
MODES = ["instant", "standard"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=10000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--refund-status", choices=STATUSES)
    args = parser.parse_args()
    out = [HEAD]
    per = max(1, args.rules // len(STATUSES))
    for status in STATUSES:
        out.append(f"on return {status} match first {{\n")
        for i in range(per):
            out.append(f"  rule {status}_r{i}\n"
                       f"    when return.type == {TYPES[i % 3]} and return.mode == {MODES[i % 2]} and refund.amount > {i % 997}.{i % 100:02d} EUR\n"
                       + (f"    then refund items path: record_only reason: \"{status} {i}: {{return.id}}\"\n\n"
                          if status == args.refund_status else
                          f"    then note internal \"{status} {i}: {{return.id}}\"\n\n"))
        # A catch-all, so every table handles every case (the coverage lint requires it).
        out.append(f"  rule {status}_otherwise\n    otherwise\n    then review \"ops\" reason: \"no rule for {{return.id}}\"\n}}\n\n")
    with open(args.out, "w") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
