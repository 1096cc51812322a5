"""Fit the German credit split with our scorecard core and with scorecardpy.

Not a test and not a dependency of the addon: run it in a separate virtual
environment that has scorecardpy (and numpy, scikit-learn), e.g.

    python3 -m venv /tmp/scpy && /tmp/scpy/bin/pip install scorecardpy==0.1.9.7 \
        numpy==1.21.6 scipy==1.7.3 scikit-learn==1.0.2 pandas==1.3.5
    /tmp/scpy/bin/python bench/scorecard_vs_scorecardpy.py

Data: ../shared/data/scorecardpy_germancredit.csv (1,000 applicants,
``creditability`` good/bad). Fixed split, the same as
tests/test_scorecard_public_data.py: row i (0-based, file order) trains
when i % 10 < 7, the other 30 % test.
Prints the train and test AUC/KS of both; ours must not trail scorecardpy's
test AUC by more than 0.02 (the script exits 1 if it does).
"""
import csv
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# ../shared/data next to the repository; CREDIT_SHARED_DATA overrides it
# (a git worktree elsewhere)
DATA = os.path.join(os.environ.get("CREDIT_SHARED_DATA")
                    or os.path.join(ROOT, "..", "shared", "data"),
                    "scorecardpy_germancredit.csv")
sys.path.insert(0, os.path.join(ROOT, "credit_management"))

from domain import scorecard_fit, scorecard_stats  # noqa: E402

TARGET = "creditability"


def _value(text):
    try:
        return float(text)
    except ValueError:
        return text


def load():
    if not os.path.exists(DATA):
        sys.exit("missing %s (the shared public data folder)" % DATA)
    with open(DATA, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    train = [r for i, r in enumerate(rows) if i % 10 < 7]
    test = [r for i, r in enumerate(rows) if i % 10 >= 7]
    return rows, train, test


def ours(train, test):
    names = [c for c in train[0] if c != TARGET]

    def table(rows):
        return {n: [_value(r[n]) for r in rows] for n in names}

    y_train = [int(r[TARGET] == "bad") for r in train]
    y_test = [int(r[TARGET] == "bad") for r in test]
    start = time.time()
    card = scorecard_fit.fit(table(train), y_train)
    seconds = time.time() - start
    score = scorecard_fit.score
    return (scorecard_stats.separation(score(card, table(train)), y_train),
            scorecard_stats.separation(score(card, table(test)), y_test),
            len(card.binnings), seconds)


def theirs(train, test):
    import pandas as pd
    import scorecardpy as sc
    from sklearn.linear_model import LogisticRegression

    start = time.time()
    df_train = pd.DataFrame(train)
    df_test = pd.DataFrame(test)
    for df in (df_train, df_test):
        for col in df.columns:
            converted = pd.to_numeric(df[col], errors="coerce")
            if converted.notna().all():
                df[col] = converted
        df[TARGET] = (df[TARGET] == "bad").astype(int)
    # the package's README flow: filter, woe bins, logistic regression, card
    df_train = sc.var_filter(df_train, y=TARGET)
    df_test = df_test[df_train.columns]
    bins = sc.woebin(df_train, y=TARGET)
    train_woe = sc.woebin_ply(df_train, bins)
    y_train = train_woe.loc[:, TARGET]
    x_train = train_woe.loc[:, train_woe.columns != TARGET]
    model = LogisticRegression(penalty="l1", C=0.9, solver="saga", max_iter=5000,
                               random_state=0)
    model.fit(x_train, y_train)
    card = sc.scorecard(bins, model, x_train.columns)
    score_train = sc.scorecard_ply(df_train, card, print_step=0)["score"]
    score_test = sc.scorecard_ply(df_test, card, print_step=0)["score"]
    seconds = time.time() - start
    return (scorecard_stats.separation(list(score_train), list(y_train)),
            scorecard_stats.separation(list(score_test), list(df_test[TARGET])),
            x_train.shape[1], seconds)


def main():
    _rows, train, test = load()
    results = {"ours": ours(train, test), "scorecardpy": theirs(train, test)}
    print("| fit | indicators | train AUC | train KS | test AUC | test Gini "
          "| test KS | fit time |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, (tr, te, count, seconds) in results.items():
        print("| %s | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.1f s |" % (
            name, count, tr.auc, tr.ks, te.auc, te.gini, te.ks, seconds))
    gap = results["scorecardpy"][1].auc - results["ours"][1].auc
    print("\nscorecardpy test AUC minus ours: %+.4f (must be <= 0.02)" % gap)
    return 1 if gap > 0.02 else 0


if __name__ == "__main__":
    sys.exit(main())
