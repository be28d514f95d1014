urlpatterns = []
app_name = "ideas"
