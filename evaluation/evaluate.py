"""Score `carerank classify` against the hand-labelled evaluation set.

Run from the repository root: `python -m evaluation.evaluate [--json PATH]`.

For each label file under evaluation/labels/ it writes the posts' source file (a Kaggle file from
../shared/data, or evaluation/german/posts.csv) to a temporary folder, runs
`carerank classify --input <file> --format twcs --out <tmp>.csv`, joins the output on
tweet_id = post_id and prints, per split (dev, holdout, all) and per language (en: the Kaggle
posts, de: the German set, all): precision and recall (with 95% Wilson intervals) and support
of `needs_reply = false`, of each category (one-vs-rest), of `moved_to_private` and
`promises_feedback`, the exact-match accuracy of `agent`, and the confusion matrix of category.
A labelled post the classifier did not return is reported as missing and scored as a prediction
of nothing: no positive label, the category "(missing)", and a wrong agent.

Exit status: 0 when scored, 2 when `carerank classify` is unavailable or fails.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT.parent / "shared" / "data"
LABELS = HERE / "labels"
GERMAN = "german/posts.csv"
CATEGORIES = ["question", "complaint", "request", "praise", "other"]
SPLITS = ["dev", "holdout", "all"]
LANGS = ["en", "de", "all"]

CUSTOMER_FILES = ["customer_posts.csv", "german_customer_posts.csv"]
BRAND_FILES = ["brand_replies.csv", "german_brand_replies.csv"]
SECOND_READINGS = {
    "customer_posts.csv": ("second_reading_customer_posts.csv", ["needs_reply", "category"]),
    "brand_replies.csv": (
        "second_reading_brand_replies.csv",
        ["moved_to_private", "promises_feedback"],
    ),
}


class ClassifierError(RuntimeError):
    """`carerank classify` is missing or failed."""


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def source_path(source_file: str, data: Path) -> Path:
    return HERE / source_file if source_file == GERMAN else data / source_file


def default_command() -> list[str]:
    beside = Path(sys.executable).parent / "carerank"
    found = shutil.which("carerank") or (str(beside) if beside.exists() else None)
    return [found] if found else []


def classify(source: Path, command: list[str], work: Path) -> pd.DataFrame:
    """Run the classifier on a copy of one source file and return its output."""
    if not command:
        raise ClassifierError("`carerank` is not installed (no such command)")
    name = source.name if source.parent != HERE / "german" else "german_posts.csv"
    copy = work / name
    copy.write_bytes(source.read_bytes())
    out = work / f"{copy.stem}.classified.csv"
    args = [*command, "classify", "--input", str(copy), "--format", "twcs", "--out", str(out)]
    try:
        run = subprocess.run(args, capture_output=True, text=True, timeout=1800)
    except OSError as error:
        raise ClassifierError(f"`carerank classify` could not start: {error}") from error
    if run.returncode != 0:
        lines = [line.strip(" │╭╮╰╯─") for line in (run.stderr or run.stdout).splitlines()]
        lines = [line for line in lines if any(ch.isalnum() for ch in line)]
        detail = lines[-1].rstrip(".") if lines else f"exit status {run.returncode}"
        raise ClassifierError(f"`carerank classify` failed on {source.name}: {detail}")
    if not out.exists():
        raise ClassifierError(f"`carerank classify` wrote no output for {source.name}")
    frame = read_csv(out)
    if "post_id" not in frame.columns:
        raise ClassifierError(f"`carerank classify` output for {source.name} has no post_id")
    return frame.drop_duplicates("post_id").set_index("post_id")


def flag(value: str) -> bool:
    return str(value).strip().lower() == "true"


def prf(gold: pd.Series, pred: pd.Series) -> dict:
    """Precision, recall and support of the positive class (booleans in, counts out), each with
    its 95% Wilson interval: with a few dozen positives a figure moves by a tenth either way."""
    tp = int((gold & pred).sum())
    fp = int((~gold & pred).sum())
    fn = int((gold & ~pred).sum())
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "precision_ci": wilson(tp, tp + fp),
        "recall_ci": wilson(tp, tp + fn),
        "support": int(gold.sum()),
        "predicted": tp + fp,
    }


def wilson(successes: int, trials: int) -> list[float] | None:
    """The 95% Wilson score interval of a share, None without trials."""
    if not trials:
        return None
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(successes, trials, alpha=0.05, method="wilson")
    return [round(float(low), 3), round(float(high), 3)]


def groups(frame: pd.DataFrame):
    for split in SPLITS:
        for lang in LANGS:
            part = frame
            if split != "all":
                part = part[part.split == split]
            if lang != "all":
                part = part[part.lang_group == lang]
            if len(part):
                yield split, lang, part


def score_customers(frame: pd.DataFrame) -> dict:
    results = {}
    for split, lang, part in groups(frame):
        gold_nr = part.needs_reply.map(flag)
        pred_nr = part.pred_needs_reply.map(flag)
        result = {
            "posts": len(part),
            "missing": int(part.missing.sum()),
            "needs_reply_false": prf(~gold_nr, ~pred_nr & ~part.missing),
            "category": {
                cat: prf(part.category == cat, part.pred_category == cat) for cat in CATEGORIES
            },
            "category_accuracy": round(float((part.category == part.pred_category).mean()), 4),
            "confusion": confusion(part.category, part.pred_category),
        }
        results[f"{split}/{lang}"] = result
    return results


def score_brands(frame: pd.DataFrame) -> dict:
    results = {}
    for split, lang, part in groups(frame):
        result = {"posts": len(part), "missing": int(part.missing.sum())}
        for column in ("moved_to_private", "promises_feedback"):
            result[column] = prf(part[column].map(flag), part[f"pred_{column}"].map(flag))
        hits = (part.agent == part.pred_agent) & ~part.missing
        result["agent"] = {
            "accuracy": round(float(hits.mean()), 4),
            "correct": int(hits.sum()),
            "with_signature": int((part.agent != "").sum()),
            "correct_with_signature": int((hits & (part.agent != "")).sum()),
        }
        results[f"{split}/{lang}"] = result
    return results


def confusion(gold: pd.Series, pred: pd.Series) -> dict:
    columns = CATEGORIES + sorted(set(pred) - set(CATEGORIES))
    table = pd.crosstab(gold, pred).reindex(index=CATEGORIES, columns=columns, fill_value=0)
    return {g: {p: int(table.at[g, p]) for p in columns} for g in CATEGORIES}


def join(labels: pd.DataFrame, predictions: dict[str, pd.DataFrame], columns: list[str]):
    rows = []
    for source_file, part in labels.groupby("source_file", sort=False):
        pred = predictions[source_file].reindex(part.tweet_id)
        part = part.copy()
        part["missing"] = pred.index.isin(predictions[source_file].index) == False  # noqa: E712
        for column in columns:
            values = pred[column] if column in pred.columns else pd.Series("", index=pred.index)
            part[f"pred_{column}"] = values.fillna("").astype(str).str.strip().to_numpy()
        part["lang_group"] = "de" if source_file == GERMAN else "en"
        rows.append(part)
    frame = pd.concat(rows, ignore_index=True)
    if "pred_category" in frame.columns:
        frame.loc[frame.missing, "pred_category"] = "(missing)"
    return frame


def agreement(first: pd.Series, second: pd.Series) -> dict:
    """Share of posts two readers labelled alike, and Cohen's kappa (that share corrected for
    the agreement two readers would reach by chance with the same label frequencies)."""
    from statsmodels.stats.inter_rater import cohens_kappa

    observed = float((first == second).mean())
    values = sorted(set(first) | set(second))
    table = pd.crosstab(first.to_numpy(), second.to_numpy()).reindex(
        index=values, columns=values, fill_value=0
    )
    # one label throughout: nothing to tell apart from chance, and the readings agree
    kappa = float(cohens_kappa(table.to_numpy(), return_results=False)) if len(values) > 1 else 1.0
    return {"posts": len(first), "agreement": round(observed, 4), "kappa": round(kappa, 4)}


def reader_agreement(labels_dir: Path, first_files: list[str]) -> dict:
    """Agreement of the first and the second, blind reading, per label, where one exists."""
    results = {}
    for name in first_files:
        if name not in SECOND_READINGS:
            continue
        second_name, columns = SECOND_READINGS[name]
        keys = ["tweet_id", "source_file"]
        both = read_csv(labels_dir / name).merge(
            read_csv(labels_dir / second_name), on=keys, suffixes=("", "_second")
        )
        for column in columns:
            results[column] = agreement(both[column], both[f"{column}_second"])
    return results


def print_agreement(results: dict) -> None:
    if not results:
        return
    print("\n== Two readers (holdout read twice, blind) ==")
    print(f"{'label':<20}{'posts':>7}{'agree':>8}{'kappa':>8}")
    for name, m in results.items():
        print(f"{name:<20}{m['posts']:>7}{m['agreement']:>8.3f}{m['kappa']:>8.3f}")


def fmt(value) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def fmt_ci(interval: list[float] | None) -> str:
    return "      -      " if interval is None else f"{interval[0]:.3f}–{interval[1]:.3f}"


HEADER = f"{'label':<20}{'precision':>10}{'95% CI':>14}{'recall':>10}{'95% CI':>14}{'support':>9}"


def metric_line(name: str, m: dict) -> str:
    return (
        f"{name:<20}{fmt(m['precision']):>10}{fmt_ci(m['precision_ci']):>14}"
        f"{fmt(m['recall']):>10}{fmt_ci(m['recall_ci']):>14}{m['support']:>9}"
    )


def print_customers(results: dict) -> None:
    print("\n== Customer posts ==")
    for key, result in results.items():
        print(f"\n-- {key}: {result['posts']} posts, {result['missing']} missing --")
        print(HEADER)
        rows = [("needs_reply=false", result["needs_reply_false"])]
        rows += [(f"category={c}", result["category"][c]) for c in CATEGORIES]
        for name, m in rows:
            print(metric_line(name, m))
        print(f"category accuracy {result['category_accuracy']:.3f}")
        matrix = result["confusion"]
        columns = list(next(iter(matrix.values())))
        print("confusion (rows: label, columns: predicted)")
        print(f"{'':<11}" + "".join(f"{c[:9]:>10}" for c in columns))
        for gold in CATEGORIES:
            print(f"{gold:<11}" + "".join(f"{matrix[gold][c]:>10}" for c in columns))


def print_brands(results: dict) -> None:
    print("\n== Brand replies ==")
    for key, result in results.items():
        print(f"\n-- {key}: {result['posts']} posts, {result['missing']} missing --")
        print(HEADER)
        for name in ("moved_to_private", "promises_feedback"):
            m = result[name]
            print(metric_line(name, m))
        agent = result["agent"]
        print(
            f"agent exact match {agent['accuracy']:.3f} ({agent['correct']}/{result['posts']}; "
            f"{agent['correct_with_signature']}/{agent['with_signature']} with a signature)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the Kaggle files")
    parser.add_argument(
        "--command", help="classifier command instead of `carerank` (e.g. for a dry run)"
    )
    args = parser.parse_args(argv)
    command = shlex.split(args.command) if args.command else default_command()

    customer_files, brand_files = list(CUSTOMER_FILES), list(BRAND_FILES)
    if not args.data.is_dir():
        print(f"{args.data} is absent: evaluating the German set only.")
        customer_files, brand_files = customer_files[1:], brand_files[1:]
    customers = pd.concat([read_csv(LABELS / name) for name in customer_files])
    brands = pd.concat([read_csv(LABELS / name) for name in brand_files])

    sources = sorted(set(customers.source_file) | set(brands.source_file))
    predictions = {}
    with tempfile.TemporaryDirectory(prefix="carerank-eval-") as tmp:
        try:
            for source_file in sources:
                path = source_path(source_file, args.data)
                predictions[source_file] = classify(path, command, Path(tmp))
        except ClassifierError as error:
            print(f"{error}: nothing to evaluate.")
            return 2

    customer_frame = join(customers, predictions, ["category", "needs_reply"])
    brand_frame = join(brands, predictions, ["moved_to_private", "promises_feedback", "agent"])
    figures = {
        "sources": sources,
        "customer_posts": score_customers(customer_frame),
        "brand_replies": score_brands(brand_frame),
        "reader_agreement": reader_agreement(LABELS, customer_files + brand_files),
    }
    print_customers(figures["customer_posts"])
    print_brands(figures["brand_replies"])
    print_agreement(figures["reader_agreement"])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
