#!/usr/bin/env python3
"""One end-to-end scenario of the real kiosk under Xvfb in training mode (real pcscd + vpcd + card emulator,
the simulated OQS terminal, a real SQLite ledger), then assertions on the ledger it left behind.

usage: run_e2e.py KIOSK ONSHI SOURCE_DIR WORK_DIR SCENARIO
Screenshots stay in WORK_DIR/<scenario>/shots.
"""
import datetime
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import sys

kiosk, onshi, src, work, scenario = sys.argv[1:6]
root = pathlib.Path(work)
out = root / scenario
shutil.rmtree(out, ignore_errors=True)
out.mkdir(parents=True)
demo = out / "demo"
cards_cache = root / "cards-cache"  # the emulator's RSA keys, made once for all scenarios
if cards_cache.exists():
    shutil.copytree(cards_cache, demo / "cards")
env = dict(os.environ, LIBGL_ALWAYS_SOFTWARE="1", GALLIUM_DRIVER="llvmpipe")


def run_kiosk(script):
    r = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", kiosk, "--demo", "--demo-dir", str(demo),
                        "--script", f"{src}/tests/e2e/{script}.script", "--screenshots", str(out / "shots"),
                        "--max-seconds", "240"], env=env, capture_output=True, text=True)
    (out / f"{script}.log").write_text(r.stdout + r.stderr)
    if r.returncode != 0:
        print(r.stdout + r.stderr)
        sys.exit(f"{script}: the kiosk exited {r.returncode}")
    if not cards_cache.exists() and (demo / "cards" / "face_ca.pub.pem").exists():
        shutil.copytree(demo / "cards", cards_cache)


def ledger(*args):
    r = subprocess.run([onshi, "ledger", "--ledger", str(demo / "ledger/ledger.sqlite"), *args],
                       capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def staff_changes():
    """Audit rows written by kiosk staff (the sample import is audited as 'training')."""
    return [a for a in ledger("audit") if a["staff_id"] in ("S01", "S02")]


def expect(cond, what):
    if not cond:
        sys.exit(f"{scenario}: {what}")


def intake():
    """The face/ files the kiosk took in: (file, outcome, karte), oldest first."""
    db = sqlite3.connect(demo / "ledger/ledger.sqlite")
    return db.execute("SELECT file, outcome, karte FROM intake ORDER BY id").fetchall()


def checks(karte):
    """(method, staff_id) of every check of a patient, oldest first."""
    db = sqlite3.connect(demo / "ledger/ledger.sqlite")
    return db.execute("SELECT method, staff_id FROM checks WHERE karte = ? ORDER BY id", (karte,)).fetchall()


def pg_cluster():
    """A PostgreSQL server of this run only, as tests/support/pg_server.hpp makes it: initdb in a folder under
    /tmp (a unix socket path must be short), a unix socket there and no TCP port, the cluster owned by the
    `postgres` user when run as root (initdb refuses root). Returns (folder, run, URL of database onshi)."""
    import glob
    import tempfile
    bindir = os.environ.get("ONSHI_PG_BINDIR") or sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    pgdir = pathlib.Path(tempfile.mkdtemp(prefix="onshi-e2e-pg-"))
    as_postgres = os.geteuid() == 0
    if as_postgres:
        shutil.chown(pgdir, "postgres", "postgres")

    def pg(*argv):
        cmd = [f"{bindir}/{argv[0]}", *argv[1:]]
        r = subprocess.run(["runuser", "-u", "postgres", "--", *cmd] if as_postgres else cmd,
                           capture_output=True, text=True, cwd="/tmp")
        if r.returncode != 0:
            sys.exit(f"{scenario}: {' '.join(cmd)} failed: {r.stdout}{r.stderr}")
        return r.stdout

    pg("initdb", "-D", f"{pgdir}/data", "-U", "onshi", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync",
       "--no-instructions")
    pg("pg_ctl", "-D", f"{pgdir}/data", "-l", f"{pgdir}/server.log", "-w", "-t", "60", "-o",
       f"-c listen_addresses='' -c unix_socket_directories={pgdir} -c fsync=off -c synchronous_commit=off", "start")
    pg("createdb", "-h", str(pgdir), "-U", "onshi", "-E", "UTF8", "--locale=C", "-T", "template0", "onshi")
    return pgdir, pg, f"postgresql:///onshi?host={pgdir}&user=onshi"


def two_kiosks():
    """Two kiosk windows, two counters, one PostgreSQL 原簿 (docs/ledger-postgres.md, "Two counters"). Each
    kiosk has its own training folder (simulated terminal, card emulator) and its own pcscd + vpcd: counter 1
    the run's (ONSHI_PCSCD_DIR / ONSHI_VPCD_PORT), counter 2 the next folder and ports. The scripts signal each
    other with their screenshots (`wait file`); the runner only starts them and reads the 原簿 afterwards."""
    pgdir, pg, url = pg_cluster()
    env["ONSHI_TRAINING_LEDGER_URL"] = url
    env["ONSHI_TRAINING_OQS_LATENCY_MS"] = "300"
    pcscd_2 = os.environ.get("ONSHI_PCSCD_DIR", "/run/onshi-pcscd") + "-2"
    env_2 = dict(env, ONSHI_PCSCD_DIR=pcscd_2, ONSHI_VPCD_PORT=str(int(os.environ.get("ONSHI_VPCD_PORT", "35973")) + 2))
    try:
        # The first start puts the training sample into the empty database; then 資格 七夫's 後期高齢
        # 被保険者番号 goes where a 単件照会 reads it (as console_add does on SQLite).
        run_kiosk("ledger_setup")
        pg("psql", "-h", str(pgdir), "-U", "onshi", "-d", "onshi", "-v", "ON_ERROR_STOP=1", "-c",
           "UPDATE insurance_cards SET bango = kigo, kigo = '', insured_name = '資格　七郎' "
           "WHERE karte = '20' AND bango = ''")
        kiosks = []
        for n, e in ((1, env), (2, env_2)):
            d = out / f"demo-{n}"
            if cards_cache.exists():
                shutil.copytree(cards_cache, d / "cards")
            log = open(out / f"two_kiosks_{n}.log", "w")
            kiosks.append((n, log, subprocess.Popen(
                ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", kiosk, "--demo", "--demo-dir", str(d), "--script",
                 f"{src}/tests/e2e/two_kiosks_{n}.script", "--screenshots", str(out / f"shots-{n}"),
                 "--max-seconds", "120"], env=e, cwd=out, stdout=log, stderr=subprocess.STDOUT)))
        failed = []
        for n, log, p in kiosks:
            if p.wait(timeout=180) != 0:
                failed.append(n)
            log.close()
        for n in failed:
            print((out / f"two_kiosks_{n}.log").read_text())
        expect(not failed, f"kiosk {failed} exited non-zero")

        def cli(*args):
            r = subprocess.run([onshi, "ledger", "--ledger", url, *args], capture_output=True, text=True, check=True)
            return json.loads(r.stdout)

        # 資格確認履歴: the automatic 単件照会 of the add, counter 2's, counter 1's; each 更新する wrote onto its own
        # answer's check, the refused one wrote none.
        history = cli("history", "20")["rows"]
        (out / "history.json").write_text(json.dumps(history, ensure_ascii=False, indent=1))
        checks_20 = [(c["method"], c["staff_id"]) for c in reversed(history)]
        expect(checks_20 == [("query", "S01"), ("query", "S02"), ("query", "S01")], f"checks of カルテ 20: {checks_20}")
        # The changes: counter 1's 上書き, then counter 2's on the recomputed diff; the refused one wrote nothing.
        audit = [(a["staff_id"], a["action"]) for a in reversed(cli("audit", "20"))
                 if a["staff_id"] in ("S01", "S02") and not a["action"].startswith("check.")]
        expect(audit == [("S01", "reception.add"), ("S01", "plan.overwrite"), ("S02", "plan.overwrite")],
               f"changes of カルテ 20: {audit}")
        card = cli("show", "20")["cards"][0]
        expect(card.get("detail") == "1割 区分一般", f"counter 1's 上書き of 詳細情報 is not in the 原簿: {card}")
        expect(card.get("insured_name") == "資格 七夫", f"counter 2's 上書き of 被保険者氏名 is not in the 原簿: {card}")
    finally:
        subprocess.run(["bash", f"{src}/scripts/pcscd-vpcd.sh", "stop"], env=env_2, capture_output=True)
        pg("pg_ctl", "-D", f"{pgdir}/data", "-m", "immediate", "-w", "stop")
        shutil.rmtree(pgdir, ignore_errors=True)


if scenario == "two_kiosks":
    two_kiosks()
elif scenario == "restart":
    run_kiosk("restart_1")
    run_kiosk("restart_2")
    rows = intake()
    expect(len(rows) == 1 and rows[0][1:] == ("matched", "20"), f"the face result was not taken in exactly once: {rows}")
    expect(checks("20") == [("face", "intake")], f"checks of カルテ 20: {checks('20')}")
    expect(staff_changes() == [], "a restart while waiting wrote a staff change")
elif scenario == "bulk":
    # 一括照会 of 50 patients on today's list with a kiosk restart halfway. The simulated terminal answers
    # in 1 s (its first 02req always finds the job 処理中; the training kiosk polls every second), so the
    # kiosk stops well before the answer.
    env["ONSHI_TRAINING_OQS_LATENCY_MS"] = "1000"
    run_kiosk("ledger_setup")
    db_file = demo / "ledger/ledger.sqlite"
    # 資格 五郎's card at the terminal for 40 of them; every fifth card is unknown there (該当資格なし).
    kartes = [str(101 + i) for i in range(50)]
    people = [{"karte": k, "kanji_name": "資格　五郎", "kana_name": "シカク ゴロウ", "sex": "1", "birth": "1990-01-01",
               "cards": [{"insurer_number": "133033", "kigo": "葛う10",
                          "bango": "9999" + k if i % 5 == 4 else "1639960291x005", "edaban": "01",
                          "relationship": "1", "valid_from": "2021-08-01"}]}
              for i, k in enumerate(kartes)]
    (out / "fifty.json").write_text(json.dumps({"patients": people}, ensure_ascii=False))
    subprocess.run([onshi, "ledger", "--ledger", str(db_file), "import-sample", "--file", str(out / "fifty.json")],
                   capture_output=True, check=True)
    today = datetime.date.today().isoformat()
    db = sqlite3.connect(db_file)
    db.executemany("INSERT INTO reception(day, karte, received_at, staff_id) VALUES(?, ?, ?, 'S01')",
                   [(today, k, f"{today}T09:{i:02d}:00") for i, k in enumerate(kartes)])
    db.commit()
    db.close()
    run_kiosk("bulk_1")
    db = sqlite3.connect(db_file)
    state = db.execute("SELECT state FROM bulk_batches").fetchall()
    waiting = db.execute("SELECT count(*) FROM checks WHERE method = 'bulk' AND status = 'processing'").fetchone()
    db.close()
    expect(state == [("polling",)] and waiting == (50,), f"the batch before the restart: {state}, 照会中 {waiting}")
    run_kiosk("bulk_2")
    expect(len(list((demo / "oqs/res").glob("OQSmuquc01res_*"))) == 1, "the OQSmuquc01req was sent again")
    r = subprocess.run([onshi, "reception", "list", "--ledger", str(db_file)], capture_output=True, text=True,
                       check=True)
    rows = {row["karte"]: row for row in json.loads(r.stdout)}
    expect(sorted(rows) == sorted(kartes), f"today's list: {sorted(rows)}")
    for i, k in enumerate(kartes):
        text = rows[k]["column_text"]
        want = "該当なし 確認日：令和" if i % 5 == 4 else "有効 確認日：令和"
        expect(text.startswith(want), f"カルテ {k}: column text {text!r}, expected {want}…")
        if i % 5 == 4:
            expect(text.endswith("【資格有効性:4】該当資格なし"), f"カルテ {k}: {text!r}")
        expect(checks(k) == [("bulk", "S01")], f"checks of カルテ {k}: {checks(k)}")
elif scenario == "lockout":
    run_kiosk("lockout_1")
    run_kiosk("lockout_2")
    db = sqlite3.connect(demo / "ledger/ledger.sqlite")
    failed, until = db.execute("SELECT failed_count, locked_until FROM staff WHERE id = 'S02'").fetchone()
    expect(failed == 5 and until, f"S02 should be locked with 5 failures, has {failed}, '{until}'")
    expect(staff_changes() == [], "a lockout wrote audited changes")
else:
    if scenario == "early_result":
        # A face/ result of 資格 七夫 from before this visit: it reaches the terminal's folder while the kiosk is
        # stopped (after its first start, which baselines what was there before), so it is taken in at start-up.
        run_kiosk("early_result_1")
        shutil.copy(f"{src}/assets/oqs/fixtures/OQSsiquc01res_face_utf8_20230605093000.xml", demo / "oqs/face")
    if scenario in ("typed_register", "ledger_relink"):
        run_kiosk("ledger_setup")  # the training ledger, as the kiosk makes it
        db_file = str(demo / "ledger/ledger.sqlite")
        if scenario == "typed_register":
            # 資格 七夫 (カルテ 20) is taken out of the 原簿: every change of his undone, newest first.
            for a in ledger("audit", "20"):
                if a["undone_by"] is None and a["undo_of"] is None:
                    ledger("undo", "--staff", "S01", str(a["id"]))
            expect(subprocess.run([onshi, "ledger", "--ledger", db_file, "show", "20"],
                                  capture_output=True).returncode != 0, "カルテ 20 is still in the 原簿")
        else:
            # The mistake to repair: 資格 一郎's 照会番号 linked to 資格 五郎.
            subprocess.run([onshi, "ledger", "relink", "--reference", "A1_1510110016", "--karte", "14", "--staff",
                            "S01", "--ledger", db_file], capture_output=True, check=True)
        setup = {a["id"] for a in staff_changes()}
    if scenario == "medinfo":
        # 後期高齢 武夫's face result with his 薬剤 and 健診 consents valid until 2099, written while the kiosk is
        # stopped (after the first start): taken in at the next start, it is the consent a fetch needs. Three
        # requests go out (YZK, siquc01, siimm01): the simulated terminal answers in 0.3 s instead of 1.2 s.
        env["ONSHI_TRAINING_OQS_LATENCY_MS"] = "300"
        run_kiosk("ledger_setup")
        face = pathlib.Path(f"{src}/assets/oqs/fixtures/OQSsiquc01res_face_utf8_20230605093000.xml").read_text()
        until = "20991231235959"
        for a, b in (("資格 七夫", "後期高齢 武夫"), ("ｼｶｸ ﾅﾅｵ", "ｺｳｷｺｳﾚｲ ﾀｶｵ"), ("19401011", "19500515"),
                     ("39470000", "39130000"),
                     ("<InsuredIdentificationNumber>1000007", "<InsuredIdentificationNumber>00000000"),
                     ("20230705235959", until),
                     ("</PharmacistsInfoAvailableTime>",
                      "</PharmacistsInfoAvailableTime><SpecificHealthCheckupsInfoConsFlg>1"
                      f"</SpecificHealthCheckupsInfoConsFlg><SpecificHealthCheckupsInfoAvailableTime>{until}"
                      "</SpecificHealthCheckupsInfoAvailableTime>")):
            expect(a in face, f"the face fixture no longer has {a}")
            face = face.replace(a, b)
        (demo / "oqs/face/OQSsiquc01res_face_takeo_20230606093000.xml").write_text(face)
        # His 単件照会 later must find the 原簿 unchanged (the manual's condition for 特健・薬剤等を取得する): the
        # sample's 詳細情報 says 1割 where the simulated terminal answers 2割.
        db = sqlite3.connect(demo / "ledger/ledger.sqlite")
        db.execute("UPDATE insurance_cards SET detail = '2割' WHERE karte = '8'")
        db.commit()
        db.close()
    if scenario == "console_add":
        # The sample ledger keeps 資格 七夫's 後期高齢 被保険者番号 in the 記号 column, which a 単件照会 cannot send:
        # the first start creates the ledger, then his card gets its number where the request reads it.
        run_kiosk("early_result_1")
        db = sqlite3.connect(demo / "ledger/ledger.sqlite")
        db.execute("UPDATE insurance_cards SET bango = kigo, kigo = '' WHERE karte = '20' AND bango = ''")
        db.commit()
        db.close()
    run_kiosk(scenario)
    changes = staff_changes()
    if scenario == "happy_path":
        p = ledger("show", "20")
        c = p["latest_check"]
        expect(c and c["method"] == "visual" and c["staff_id"] == "S01" and c["validity"] == "1",
               f"the check for カルテ 20 was not recorded as 目視確認 by S01: {c}")
        expect("OQSsiquc01res_face" in c["raw_xml"] or "<XmlMsg>" in c["raw_xml"], "the answer's XML was not kept")
        expect(p["cards"][0]["insurer_number"] == "39470000", "the card changed on a record-only decision")
        expect(len([x for x in p["consents"] if x["value"] == "1"]) >= 5, f"consents not stored: {p['consents']}")
        expect([a["action"] for a in changes] == ["plan.check", "check.visual"], f"unexpected changes: {changes}")
        # The face result was taken in once by the kiosk (method 顔認証: the file does not say); the visit paired
        # it and that one check became 目視確認 by S01 (one check row per answer).
        expect([r[1:] for r in intake()] == [("matched", "20")], f"intake: {intake()}")
        expect(checks("20") == [("visual", "S01")], f"checks of カルテ 20: {checks('20')}")
    elif scenario == "insurer_change":
        p = ledger("show", "13")
        cur, old = p["cards"][0], p["cards"][1]
        expect(cur["insurer_number"] == "133033" and cur["valid_from"] == "2021-08-01", f"current card: {cur}")
        expect(old["insurer_number"] == "139980" and old["closed_on"] == "2021-07-31", f"過1: {old}")
        expect(old["label"] == "過1", f"the old card is not shown as 過1: {old['label']}")
        expect(p["latest_check"]["staff_id"] == "S02", "the switch is not attributed to 事務長 太郎")
        # Newest first: the 切替 decision, and before it the pairing that made the face result's check 目視確認.
        expect([a["action"] for a in changes] == ["plan.switch", "check.visual"],
               f"one decision must be one audited change beside the pairing: {changes}")
    elif scenario == "oqs_error":
        # The エラー answer names nobody, so there is no patient to attach a check to: nothing is written.
        expect(changes == [], f"an エラー answer wrote to the ledger: {changes}")
        expect(ledger("show", "20")["cards"][0]["insurer_number"] == "39470000", "an エラー answer changed a card")
    elif scenario == "another_person":
        rows = intake()
        expect([r[1:] for r in rows] == [("matched", "13"), ("matched", "20")], f"intake: {rows}")
        ichiro = [c for c in checks("13") if c[1] != "training"]   # the sample ledger's own checks aside
        expect(ichiro == [("face", "intake")], f"資格 一郎's result was attached to the visit: {ichiro}")
        expect(checks("20") == [("visual", "S01")], f"checks of カルテ 20: {checks('20')}")
    elif scenario == "early_result":
        expect([r[1:] for r in intake()] == [("matched", "20")], f"intake: {intake()}")
        expect(changes == [], f"a result from before the wait was attached: {changes}")
    elif scenario == "late_result":
        rows = intake()
        expect(len(rows) == 2 and all(r[1:] == ("matched", "20") for r in rows), f"intake: {rows}")
        expect(changes == [], f"a late result was attached: {changes}")
    elif scenario == "typed_register":
        db = sqlite3.connect(demo / "ledger/ledger.sqlite")
        rows = db.execute("SELECT karte FROM patients WHERE birth = '1940-10-11'").fetchall()
        expect(len(rows) == 1 and rows[0][0] != "20", f"資格 七夫 was not registered anew: {rows}")
        p = ledger("show", rows[0][0])
        expect(p["cards"] and p["cards"][0]["insurer_number"] == "39470000", f"card: {p['cards']}")
        c = p["latest_check"]
        expect(c and c["staff_id"] == "S01" and c["validity"] == "1", f"the answer's check: {c}")
        mine = [a["action"] for a in changes if a["id"] not in setup]
        expect(mine == ["plan.register"], f"one audited 新患登録 expected: {mine}")
    elif scenario == "ledger_relink":
        mine = [a for a in changes if a["id"] not in setup]
        moves = [a for a in mine if a["action"] == "link.move"]
        undos = [a for a in mine if a["action"] == "undo"]
        expect(len(moves) == 1 and moves[0]["karte"] == "13", f"one 付け替え to カルテ 13 expected: {mine}")
        expect(len(undos) == 1 and undos[0]["undo_of"] == moves[0]["id"], f"the move was not undone: {mine}")
        expect(ledger("show", "14")["reference_number"] == "A1_1510110016", "the undo did not give 五郎 the number back")
        expect(ledger("show", "13")["reference_number"] == "", "一郎 still holds the number after the undo")
    elif scenario == "console_add":
        # Two 単件照会 (the automatic one of the add, then the row's), each one check row: 照会中, then answered.
        rows = checks("20")
        expect(rows == [("query", "S01"), ("query", "S01")], f"checks of カルテ 20: {rows}")
        c = ledger("show", "20")["latest_check"]
        expect(c["status"] == "valid" and c["column_text"].startswith("有効 確認日："), f"latest check: {c}")
        actions = [a["action"] for a in reversed(changes)]  # the audit lists newest first
        expect(actions == ["reception.add", "check.query", "check.answer", "check.query", "check.answer",
                           "plan.overwrite"], f"changes: {actions}")
    elif scenario == "medinfo":
        # The sample's stored answers, then the one fetched from the page: 薬剤情報 by S01, audited.
        db = sqlite3.connect(demo / "ledger/ledger.sqlite")
        rows = db.execute("SELECT kind, format, staff_id FROM medinfo WHERE karte = '8' ORDER BY id").fetchall()
        expect(len(rows) == 3 and rows[-1] == ("yzk", "xml", "S01"), f"medinfo rows of カルテ 8: {rows}")
        fetched = [a for a in changes if a["action"] == "medinfo.fetch"]
        expect(len(fetched) == 1 and fetched[0]["karte"] == "8", f"the fetch was not audited once: {changes}")
        # 特健・薬剤等を取得する: the check recorded, then his カルテ番号 registered at OQS as the 照会番号.
        registered = [a for a in changes if a["action"] == "reference.register"]
        expect(len(registered) == 1, f"one 照会番号登録 expected: {changes}")
        expect(ledger("show", "8")["reference_number"] == "8", "カルテ 8 has no 照会番号 after the registration")
    elif scenario == "nothing_written":
        expect(changes == [], f"中止, a pulled card or a forged chip wrote to the ledger: {changes}")
    else:
        sys.exit(f"unknown scenario {scenario}")

shots = sorted(p.name for p in (out / "shots").glob("*.png"))
print(f"{scenario}: ok; screenshots in {out / 'shots'}: {', '.join(shots)}")
