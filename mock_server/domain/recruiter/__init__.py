"""The LinkedIn side of RSC: what recruiters do inside LinkedIn Recruiter (seats, InMail, stub profiles,
prospect notes, exports) and what the retrieve APIs and push notifications read back."""
