import threading

from builder.watch import is_card_file, watch


def test_only_card_files_trigger_a_build():
    assert is_card_file("/deck/cards/margins.yaml") and is_card_file("cards/sub/x.yml")
    assert not is_card_file("cards/deck.lock")
    assert not is_card_file("cards/.#margins.yaml")
    assert not is_card_file("output/CHANGELOG.md")


def test_a_save_triggers_a_rebuild_with_the_change(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    results, errors = [], []
    stop = threading.Event()
    first_build, second_build = threading.Event(), threading.Event()

    def on_build(result):
        results.append(result)
        (first_build if len(results) == 1 else second_build).set()

    worker = threading.Thread(
        target=watch, args=(cards, tmp_path / "out", on_build, errors.append),
        kwargs={"stop": stop, "debounce_ms": 50}, daemon=True)
    worker.start()
    try:
        assert first_build.wait(30)
        # Give the watcher a moment to start listening before the edit.
        for _ in range(20):
            path = cards / "valid.yaml"
            path.write_text(path.read_text().replace("back: Spindle", "back: Spindle-shaped"))
            if second_build.wait(1):
                break
        assert second_build.is_set()
    finally:
        stop.set()
        worker.join(10)
    assert not worker.is_alive()
    assert errors == []
    assert results[0].changes.added and dict(results[1].changes.changed) == {"valid-basic": ("Back",)}


def test_watch_keeps_a_served_preview_current(make_cards, tmp_path):
    import json
    import urllib.request

    from builder.publish.preview import serve

    cards = make_cards("valid.yaml")
    preview_dir = tmp_path / "out" / "preview"
    server = serve(preview_dir, 0)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    built = threading.Semaphore(0)
    stop = threading.Event()
    worker = threading.Thread(
        target=watch, args=(cards, tmp_path / "out", lambda _result: built.release(), print),
        kwargs={"stop": stop, "debounce_ms": 50, "preview_dir": preview_dir}, daemon=True)
    worker.start()

    def fetch(name: str) -> str:
        with urllib.request.urlopen(url + name, timeout=10) as response:
            assert response.headers["Cache-Control"] == "no-store"
            return response.read().decode()
    try:
        assert built.acquire(timeout=30)
        assert json.loads(fetch("build.json")) == {"build": 1}
        assert "Spindle" in fetch("index.html") and "Spindle-shaped" not in fetch("")
        for _ in range(20):
            path = cards / "valid.yaml"
            path.write_text(path.read_text().replace("back: Spindle\n", "back: Spindle-shaped\n"))
            if built.acquire(timeout=1):
                break
        assert json.loads(fetch("build.json")) == {"build": 2}
        assert "Spindle-shaped" in fetch("index.html")
    finally:
        stop.set()
        worker.join(10)
        server.shutdown()
