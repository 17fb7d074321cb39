from interviewkit.transcribe.quality import remove_repetitions
from interviewkit.transcribe.result import Segment, Word


def words(text: str, start: float = 0.0) -> list[Word]:
    return [Word(start + i * 0.3, start + i * 0.3 + 0.25, f" {w}", 0.9) for i, w in enumerate(text.split())]


def seg(text: str, start: float = 0.0, **kw) -> Segment:
    w = words(text, start)
    return Segment(start, w[-1].end if w else start, " " + text, w, **kw)


def test_a_repetition_loop_keeps_one_copy():
    loop = "I think that " + "we went there " * 12 + "in the end"
    [cleaned] = remove_repetitions([seg(loop)])
    assert cleaned.text.split() == "I think that we went there in the end".split()
    assert [w.text.strip() for w in cleaned.words] == cleaned.text.split()
    assert cleaned.end == cleaned.words[-1].end


def test_natural_repetition_is_kept():
    text = "no, no, no, that was not how it went"
    [kept] = remove_repetitions([seg(text)])
    assert kept.text == " " + text


def test_a_loop_without_word_timings_is_cleaned_too():
    segment = Segment(0.0, 5.0, " thank you" * 9, [])
    [cleaned] = remove_repetitions([segment])
    assert cleaned.text.split() == ["thank", "you"]


def test_a_repeated_sentence_segment_is_dropped_but_short_answers_stay():
    out = remove_repetitions([seg("we waited for three weeks", 0), seg("we waited for three weeks", 2),
                              seg("Yes.", 4), seg("Yes.", 5)])
    assert [s.text.strip() for s in out] == ["we waited for three weeks", "Yes.", "Yes."]


def test_hallucinated_text_in_silence_is_dropped():
    out = remove_repetitions([seg("Thanks for watching!", no_speech_prob=0.9, avg_logprob=-1.4),
                              seg("real speech here", 3, no_speech_prob=0.9, avg_logprob=-0.2)])
    assert [s.text.strip() for s in out] == ["real speech here"]
