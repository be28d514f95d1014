urlpatterns = []
app_name = "contests"
