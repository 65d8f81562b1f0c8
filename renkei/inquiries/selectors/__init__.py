"""Reading inquiries, one module per topic: questions, targets, lists, progress, answers."""
