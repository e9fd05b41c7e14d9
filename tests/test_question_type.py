"""Question words of one language must not be read in another's words."""

from bot.question_type import asked_for


def test_a_malay_word_is_not_read_as_uzbek_for_money():
    assert "price" not in asked_for("Dan UNESCO pula?")  # "and UNESCO?": Uzbek "pul" is money
    assert "price" in asked_for("Kirish pulli mi?")
