"""The demo's kiosk questionnaire is ready to open in kiosk mode, once."""
from surveyapp.kiosk import service
from surveyapp.kiosk.demo import kiosk_path, load_kiosk_demo


def test_the_demo_kiosk_questionnaire_can_be_opened(db, make):
    programme = make.programme()
    questionnaire = load_kiosk_demo(programme, responses=10)
    db.session.commit()
    service.check_servable(questionnaire)
    assert questionnaire.languages == ["de", "en"] and load_kiosk_demo(programme) is None
    assert kiosk_path() == f"/manage/questionnaires/{questionnaire.id}/kiosk"
