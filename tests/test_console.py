"""`policybot chat` as a real process with piped stdin: transcripts and restart safety."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from tests.conftest import ROOT


def chat(db, lines: list[str], *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "POLICYBOT_DATABASE": str(db), "POLICYBOT_LOG_LEVEL": "INFO", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "adapters.main", "chat", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=120,
    )


def test_a_scripted_session_checks_looks_up_and_quizzes(tmp_path):
    result = chat(
        tmp_path / "bot.db",
        ["Guest wifi password is Welcome2City!", "policy disclaimer", "quiz", "1"],
        "--user",
        "alice",
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "🛑 STOP: Don't post this." in out and "9. Security (OPSEC)" in out
    assert "3. Disclaimers" in out
    assert "Question 1 of 3" in out and "Policy section:" in out and "Question 2 of 3" in out


def test_review_and_appeal_reach_the_author_across_sessions(tmp_path):
    db = tmp_path / "bot.db"
    author = chat(db, ["official: Exciting news! Our new splash pad opens June 1.", "1"], "--user", "alice")
    assert "Sent to communications for review as item #1" in author.stdout
    reviewer = chat(db, ["queue", "1"], "--user", "rita", "--as-reviewer")
    assert "Draft for pre-approval #1" in reviewer.stdout and "Item #1: approved" in reviewer.stdout
    back = chat(db, ["help"], "--user", "alice")
    assert "Your draft #1 was approved" in back.stdout

    appeal = chat(db, ["The door code is 4471#", "3", "It's from a novel I'm writing"], "--user", "alice")
    assert "Appeal #2 sent to the reviewers" in appeal.stdout
    decided = chat(db, ["queue", "1"], "--user", "rita", "--reviewer")
    assert "It's from a novel I'm writing" in decided.stdout and "Item #2: upheld" in decided.stdout
    assert "verdict stands" in chat(db, ["help"], "--user", "alice").stdout


def test_a_non_reviewer_is_told_so(tmp_path):
    result = chat(tmp_path / "bot.db", ["queue"], "--user", "mallory")
    assert "Only reviewers can decide review items" in result.stdout


def test_restart_between_messages_keeps_settings_quiz_and_queue(tmp_path):
    db = tmp_path / "bot.db"
    chat(db, ["settings timezone Europe/London", "settings account official"], "--user", "alice")
    first = chat(db, ["quiz"], "--user", "alice")
    assert "Question 1 of 3" in first.stdout
    second = chat(db, ["settings"], "--user", "alice")
    assert "Europe/London" in second.stdout and "checked as: official account" in second.stdout
    with sqlite3.connect(db) as connection:
        assert connection.execute("select position from quiz_sessions").fetchone() == (0,)
    chat(db, ["official: We will close the pool early today due to storms.", "1"], "--user", "alice")
    assert "Draft for pre-approval #1" in chat(db, ["queue"], "--user", "rita", "--reviewer").stdout


def test_no_log_line_and_no_table_holds_draft_text_except_a_sent_draft(tmp_path):
    db = tmp_path / "bot.db"
    secret, sent = "Zanzibar quokka memo", "Okapi lanyard launch"
    lines = [
        f"Leaked internal memo: {secret} is real",  # stop: answered at once
        f"As a city planner I think {secret} matters",  # asks for the context first
        "1",  # personal account, off duty
        "1",  # add the disclaimer
        f"official: Exciting news, the {sent} is today!",
        "1",  # send to communications
    ]
    result = chat(db, lines, "--user", "alice")
    assert "route=draft" in result.stderr and "Sent to communications" in result.stdout  # logs were on
    assert secret not in result.stderr and sent not in result.stderr
    with sqlite3.connect(db) as connection:
        tables = [r[0] for r in connection.execute("select name from sqlite_master where type='table'")]
        for table in tables:
            rows = repr(connection.execute(f"select * from {table}").fetchall())
            assert secret not in rows, table
            assert (sent in rows) == (table == "reviews"), table


def test_an_unreadable_database_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bot.db"
    bad.write_bytes(b"this is not a database" * 100)
    result = chat(bad, ["help"], "--user", "alice")
    assert result.returncode == 2
    assert "is not a readable policybot database" in result.stderr and "POLICYBOT_DATABASE" in result.stderr


def test_a_missing_folder_names_the_setting(tmp_path):
    result = chat(tmp_path / "nope" / "bot.db", ["help"])
    assert result.returncode == 2 and "POLICYBOT_DATABASE: the folder" in result.stderr


def test_a_bad_setting_is_named(tmp_path):
    result = chat(tmp_path / "bot.db", ["help"], env={"POLICYBOT_QUIZ_LENGTH": "lots"})
    assert result.returncode == 2 and "POLICYBOT_QUIZ_LENGTH" in result.stderr
